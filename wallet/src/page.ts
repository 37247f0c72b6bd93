// The pages a buyer sees in the sandbox wallet: the payment to approve or
// decline, and the outcome. Plain HTML forms, so scripts can POST the same
// endpoints the buttons do, with the same form token.
import { createHash } from 'node:crypto';
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

/** The wallet's mark in the browser's tab, at FAVICON_PATH. */
export const FAVICON_PATH = '/favicon.svg';
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="3" y="7" width="26" height="19" rx="4" fill="#1aad19"/>' +
  '<rect x="18" y="13" width="11" height="7" rx="2" fill="#e8f8e8"/><circle cx="22" cy="16.5" r="1.6" fill="#1aad19"/></svg>';

/** "¥199.00": the amount in the currency's own minor units (fen for CNY, none for JPY). */
export function formatAmount(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('zh-CN', { style: 'currency', currency });
  return format.format(amountMinor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

const TIME_PARTS: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * A time as the wallet's own country reads it, "19 May 2025, 14:03 GMT+8";
 * the page's script then rewrites it in the buyer's time zone and language.
 */
export function chinaTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { ...TIME_PARTS, timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

// Rewrites each <time data-local> in the browser's own zone and language. Without it the page still reads, in China's time.
const LOCAL_TIME_SCRIPT = `for (const time of document.querySelectorAll('time[data-local]')) {
  time.textContent = new Intl.DateTimeFormat(undefined, ${JSON.stringify(TIME_PARTS)}).format(new Date(time.dateTime));
}`;

/** The pages' only script, allowed by its hash: nothing injected into a page could run. */
export const PAGE_POLICY = `frame-ancestors 'none'; script-src 'sha256-${createHash('sha256').update(LOCAL_TIME_SCRIPT).digest('base64')}'`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON_PATH}">
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
  .card { border: 1px solid #d9e2ec; border-radius: 12px; padding: 1.25rem; }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 1rem 0; }
  dt { color: #627d98; }
  dd { margin: 0; overflow-wrap: anywhere; }
  form { display: inline; }
  button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 8px; border: 0; margin-right: .5rem; cursor: pointer; }
  .approve { background: #1aad19; color: white; } .decline { background: #e4e7eb; }
  .note { color: #627d98; font-size: .85rem; }
</style></head>
<body><p class="note">Interop Graph sandbox wallet: no real money moves.</p>${body}<script>${LOCAL_TIME_SCRIPT}</script></body></html>`;
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
     <div class="amount">${escapeHtml(formatAmount(order.amountMinor, order.currency))}</div>
     <dl><dt>Merchant</dt><dd>${escapeHtml(order.merchantName ?? order.merchantId)}</dd>
         <dt>Platform</dt><dd>${escapeHtml(order.platformName ?? order.platformId)}</dd>
         <dt>Reference</dt><dd>${escapeHtml(order.reference)}</dd>
         <dt>Approve by</dt><dd><time data-local datetime="${escapeHtml(order.expiresAt)}">${escapeHtml(chinaTime(order.expiresAt))}</time></dd></dl>
     ${actions}</div>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<div class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></div>`);
}
