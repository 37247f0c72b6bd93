/** @backend-contract the wallet's store on each engine */
// The buyer's approve and decline forms: a decision counts only with the form
// token from that payment's page. A post without it, with another payment's,
// or with a made-up one is refused with 403, changes nothing and sends no
// webhook; the page's own form and a script that reads the token still work.
import { createServer } from 'node:http';
import { close, listen } from '@interop/kit/server';
import type { RunningWallet } from '../server';
import { startTestWallet } from '@interop/testing/test-wallet';

let wallet: RunningWallet;
let receiver: { url: string; stop(): Promise<void> };
const delivered: string[] = [];
let ids = 0;

beforeAll(async () => {
  wallet = await startTestWallet({ port: 0, host: '127.0.0.1', secret: 'wallet-forms-test-secret', webhookMinDelayMs: 10, webhookMaxDelayMs: 50 });
  const server = createServer((req, res) => {
    req.setEncoding('utf8');
    let body = '';
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      delivered.push(body);
      res.writeHead(200).end();
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  receiver = { url: `http://127.0.0.1:${port}/webhooks`, stop: () => close(server, 0) };
});

afterAll(async () => {
  await wallet?.stop();
  await receiver?.stop();
});

async function order(): Promise<string> {
  const paymentId = `pay_form_${(ids += 1)}`;
  const created = await wallet.orders.create({
    paymentId,
    toolId: 'alipay',
    merchantId: 'm0000002',
    platformId: 'taobao',
    amountMinor: 19_900,
    currency: 'CNY',
    reference: 'forms',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    notifyUrl: receiver.url,
  });
  if (!created.ok) throw new Error(created.error);
  return paymentId;
}

const pageOf = (paymentId: string) => `${wallet.url}/sandbox/payments/${paymentId}`;

/** Posts a decision as a browser's form would; `token` undefined leaves the field out. */
async function post(paymentId: string, action: 'approve' | 'decline', token: string | undefined, accept = 'text/html'): Promise<number> {
  const response = await fetch(`${pageOf(paymentId)}/${action}`, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(token === undefined ? {} : { csrfToken: token }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The token in the page's forms, as a browser submits it. */
async function pageToken(paymentId: string): Promise<string> {
  const response = await fetch(pageOf(paymentId));
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  const tokens = [...(await response.text()).matchAll(/<input type="hidden" name="csrfToken" value="([^"]+)">/g)].map((match) => match[1]);
  expect(tokens).toHaveLength(2);
  return tokens[0]!;
}

test.each([
  ['without a token', () => undefined],
  ['with an empty token', () => ''],
  ['with a made-up token', () => 'f'.repeat(64)],
  ['with another payment’s token', async () => pageToken(await order())],
])('a decision %s is refused with 403 and changes nothing', async (_name, token) => {
  const paymentId = await order();
  const forged = await token();
  for (const action of ['approve', 'decline'] as const) {
    expect(await post(paymentId, action, forged)).toBe(403);
    expect(await post(paymentId, action, forged, 'application/json')).toBe(403);
  }
  await wallet.webhooks.idle();
  expect((await wallet.orders.get(paymentId))?.status).toBe('PENDING');
  expect(delivered.filter((body) => body.includes(`"${paymentId}"`))).toEqual([]);
});

test('the page’s own form approves, and its webhooks go out', async () => {
  const paymentId = await order();
  expect(await post(paymentId, 'approve', await pageToken(paymentId))).toBe(200);
  await wallet.webhooks.idle();
  expect((await wallet.orders.get(paymentId))?.status).toBe('APPROVED');
  expect(delivered.filter((body) => body.includes(`"${paymentId}"`))).toHaveLength(2);
});

test('a script reads the token as JSON and declines with it', async () => {
  const paymentId = await order();
  const shown = await fetch(pageOf(paymentId), { headers: { accept: 'application/json' } });
  const { csrfToken, status } = (await shown.json()) as { csrfToken: string; status: string };
  expect(status).toBe('PENDING');
  expect(await post(paymentId, 'decline', csrfToken, 'application/json')).toBe(200);
  expect((await wallet.orders.get(paymentId))?.status).toBe('DECLINED');
  expect((await fetch(`${wallet.url}/sandbox/payments/pay_unknown`, { headers: { accept: 'application/json' } })).status).toBe(404);
});
