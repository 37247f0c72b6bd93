// The pages a buyer sees in the sandbox wallet: the payment to approve or
// decline, and the outcome. Plain HTML forms, so scripts can POST the same
// endpoints the buttons do, with the same form token.
import escapeHtml from 'escape-html';
import { FORM_TOKEN_FIELD } from './form-token';
import type { Order } from './orders';

const TOOL_NAMES: Readonly<Record<string, string>> = {
  alipay: 'Alipay',
  'wechat-pay': 'WeChat Pay',
  'unionpay-quickpass': 'UnionPay QuickPass',
  'e-cny': 'Digital RMB (e-CNY)',
  'wing-pay': 'Wing Pay',
  hebao: 'Hebao',
  'jd-pay': 'JD Pay',
};

const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
  .card { border: 1px solid #d9e2ec; border-radius: 12px; padding: 1.25rem; }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 1rem 0; }
  dt { color: #627d98; }
  form { display: inline; }
  button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 8px; border: 0; margin-right: .5rem; cursor: pointer; }
  .approve { background: #1aad19; color: white; } .decline { background: #e4e7eb; }
  .note { color: #627d98; font-size: .85rem; }
</style></head>
<body><p class="note">Interop Graph sandbox wallet: no real money moves.</p>${body}</body></html>`;
}

/** The payment's page; its forms carry `formToken`, which the wallet checks on every decision. */
export function orderPage(order: Order, formToken: string): string {
  const tool = TOOL_NAMES[order.toolId] ?? order.toolId;
  const id = encodeURIComponent(order.paymentId);
  const token = `<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${escapeHtml(formToken)}">`;
  const actions =
    order.status === 'PENDING'
      ? `<form method="post" action="/sandbox/payments/${id}/approve">${token}<button class="approve" type="submit">Approve</button></form>
         <form method="post" action="/sandbox/payments/${id}/decline">${token}<button class="decline" type="submit">Decline</button></form>`
      : `<p>This payment is <strong>${escapeHtml(order.status.toLowerCase())}</strong>.</p>`;
  return layout(
    `Pay with ${tool}`,
    `<div class="card"><h1>Pay with ${escapeHtml(tool)}</h1>
     <div class="amount">${escapeHtml(yuan.format(order.amountMinor / 100))}</div>
     <dl><dt>Merchant</dt><dd>${escapeHtml(order.merchantId)}</dd>
         <dt>Platform</dt><dd>${escapeHtml(order.platformId)}</dd>
         <dt>Reference</dt><dd>${escapeHtml(order.reference)}</dd>
         <dt>Expires</dt><dd>${escapeHtml(order.expiresAt)}</dd></dl>
     ${actions}</div>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<div class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></div>`);
}
