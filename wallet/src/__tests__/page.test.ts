/** @backend-contract the wallet's store on each engine */
// The payment's page as a buyer reads it: the merchant's and the platform's
// names (ids only when payments sent none), the amount in the payment's
// currency, the deadline as a time rather than an ISO string (rewritten in the
// buyer's zone by the page's one script, which its policy allows by hash), and
// the wallet's icon.
import { createHash } from 'node:crypto';
import type { RunningWallet } from '../server';
import { startTestWallet } from '@interop/testing/test-wallet';
import { chinaTime, formatAmount } from '../page';

let wallet: RunningWallet;
let ids = 0;

beforeAll(async () => {
  wallet = await startTestWallet({ port: 0, host: '127.0.0.1', secret: 'wallet-page-test-secret' });
});

afterAll(async () => {
  await wallet?.stop();
});

const EXPIRES_AT = '2024-09-04T06:30:00.000Z';

async function order(names: { merchantName?: string; platformName?: string }): Promise<string> {
  const paymentId = `pay_page_${(ids += 1)}`;
  const created = await wallet.orders.create({
    paymentId,
    toolId: 'wechat-pay',
    merchantId: 'm0000002',
    platformId: 'taobao',
    amountMinor: 19_900,
    currency: 'CNY',
    reference: 'order-7',
    // Far enough ahead for the page to offer its buttons; its text is checked against chinaTime.
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    notifyUrl: 'http://127.0.0.1:1/webhooks',
    ...names,
  });
  if (!created.ok) throw new Error(created.error);
  return paymentId;
}

async function page(paymentId: string): Promise<{ html: string; text: string; policy: string }> {
  const response = await fetch(`${wallet.url}/sandbox/payments/${paymentId}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const text = html.replace(/<script>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>|<[^>]+>/g, ' ');
  return { html, text, policy: response.headers.get('content-security-policy') ?? '' };
}

test('shows the names payments sent, never the ids', async () => {
  const { text } = await page(await order({ merchantName: 'Jade Tea Shop', platformName: 'Taobao' }));
  expect(text).toContain('Jade Tea Shop');
  expect(text).toContain('Taobao');
  expect(text).not.toContain('m0000002');
  expect(text).not.toContain('taobao');
});

test('falls back to the ids when payments sent no names', async () => {
  const { text } = await page(await order({}));
  expect(text).toContain('m0000002');
  expect(text).toContain('taobao');
});

test('the amount is formatted in the payment’s currency and its minor units', () => {
  expect(formatAmount(19_900, 'CNY')).toBe('¥199.00');
  expect(formatAmount(5, 'CNY')).toBe('¥0.05');
  // A currency without minor units counts whole ones.
  expect(formatAmount(500, 'JPY')).toMatch(/^JP¥500$/);
});

test('the deadline is a <time> read in China’s time, with the ISO string only in its datetime attribute', async () => {
  // ICU versions differ on the month's abbreviation.
  expect(chinaTime(EXPIRES_AT)).toMatch(/^4 Sept? 2024, 14:30 GMT\+8$/);
  const paymentId = await order({ merchantName: 'Jade Tea Shop', platformName: 'Taobao' });
  const { html, text } = await page(paymentId);
  const expiresAt = (await wallet.orders.get(paymentId))?.expiresAt ?? '';
  expect(html).toContain(`<time data-local datetime="${expiresAt}">${chinaTime(expiresAt)}</time>`);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
});

test('the page’s one script is the one its policy allows, and no frame may hold the page', async () => {
  const { html, policy } = await page(await order({}));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
  expect(scripts).toHaveLength(1);
  const hash = createHash('sha256').update(scripts[0]!).digest('base64');
  expect(policy).toContain(`script-src 'sha256-${hash}'`);
  expect(policy).toContain("frame-ancestors 'none'");
});

test('the wallet serves the icon its pages name', async () => {
  const { html } = await page(await order({}));
  expect(html).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg">');
  const icon = await fetch(`${wallet.url}/favicon.svg`);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  expect(await icon.text()).toMatch(/^<svg /);
});

test('a repeated registration with other names is the same payment, and keeps the names it had', async () => {
  const paymentId = await order({ merchantName: 'Jade Tea Shop', platformName: 'Taobao' });
  const first = await wallet.orders.get(paymentId);
  if (!first) throw new Error('no order');
  const { status, refundedMinor, merchantName, platformName, ...request } = first;
  expect([status, refundedMinor, merchantName, platformName]).toEqual(['PENDING', 0, 'Jade Tea Shop', 'Taobao']);
  const again = await wallet.orders.create({ ...request, merchantName: 'Jade Tea House' });
  expect(again).toMatchObject({ ok: true, value: { merchantName: 'Jade Tea Shop' } });
});
