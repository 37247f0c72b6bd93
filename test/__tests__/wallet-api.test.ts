/** @backend-contract the wallet's store on each engine */
// The wallet's signed API as an attacker who captured its traffic sees it:
// each signature covers one message kind, method, path and body, so a
// captured call replayed to another payment, under another refund id, or a
// webhook replayed to the API is refused with 401 and changes nothing. The
// calls payments really makes still work, and a refund never exceeds what is
// left of the payment.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { close, listen, readRawBody } from '@interop/kit/server';
import type { RunningWallet } from '@interop/wallet';
import { startTestWallet } from '@interop/testing/test-wallet';
import { SandboxWallet } from '../../subgraphs/payments/src/providers/sandbox-wallet';
import { buyerDecides } from '@interop/testing/payments-helpers';

const SECRET = 'wallet-api-test-secret';

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server on a free port that records each request, then answers with `answer`'s status and body. */
async function recorder(answer: (request: Captured) => Promise<{ status: number; body: string }>) {
  const seen: Captured[] = [];
  const server = createServer((req, res) => {
    void readRawBody(req, 64 * 1024).then(async (body) => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      seen.push(request);
      const { status, body: text } = await answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, seen, stop: () => close(server, 0) };
}

let wallet: RunningWallet;
let api: Awaited<ReturnType<typeof recorder>>;
let notifications: Awaited<ReturnType<typeof recorder>>;
let provider: SandboxWallet;
let ids = 0;

/** Sends a captured request again, as captured or with `changes`. */
async function replay(request: Captured, changes: Partial<Pick<Captured, 'method' | 'path' | 'body'>> = {}): Promise<{ status: number; body: unknown }> {
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)) as [string, string][],
  );
  const response = await fetch(`${wallet.url}${changes.path ?? request.path}`, {
    method: changes.method ?? request.method,
    headers,
    body: changes.body ?? request.body,
  });
  return { status: response.status, body: await response.json() };
}

/** Registers a payment through the provider, as payments does. */
async function registered(amountMinor = 19_900): Promise<string> {
  const paymentId = `pay_replay_${(ids += 1)}`;
  await provider.createPayment({
    paymentId,
    toolId: 'alipay',
    merchantId: 'm0000002',
    platformId: 'taobao',
    amountMinor,
    currency: 'CNY',
    reference: 'replay',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  });
  return paymentId;
}

async function approved(): Promise<string> {
  const paymentId = await registered();
  expect(await buyerDecides(`${wallet.url}/sandbox/payments/${paymentId}`, 'approve')).toBe(200);
  await wallet.webhooks.idle();
  return paymentId;
}

/** The last request the provider sent the wallet. */
const lastCall = (): Captured => {
  const call = api.seen.at(-1);
  if (!call) throw new Error('no call captured');
  return call;
};

beforeAll(async () => {
  wallet = await startTestWallet({ port: 0, host: '127.0.0.1', secret: SECRET, webhookMinDelayMs: 10, webhookMaxDelayMs: 50 });
  // Forwards the provider's calls to the wallet as they are, keeping a copy.
  api = await recorder(async (request) => {
    const { status, body } = await replay(request);
    return { status, body: JSON.stringify(body) };
  });
  notifications = await recorder(async () => ({ status: 200, body: '{}' }));
  provider = new SandboxWallet({ apiUrl: api.url, publicUrl: wallet.url, notifyUrl: notifications.url, secret: SECRET, timeoutMs: 5_000 });
});

afterAll(async () => {
  await api?.stop();
  await notifications?.stop();
  await wallet?.stop();
});

test('the calls payments makes are accepted: register, cancel, refund', async () => {
  const unpaid = await registered();
  expect((await wallet.orders.get(unpaid))?.status).toBe('PENDING');
  expect(await provider.cancelPayment(unpaid)).toBe(true);
  expect((await wallet.orders.get(unpaid))?.status).toBe('CANCELED');

  const paid = await approved();
  await provider.refund({ refundId: 'ref_ok_1', paymentId: paid, amountMinor: 5_000, currency: 'CNY' });
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(5_000);
});

test('a captured cancel replayed to another payment is refused and cancels nothing', async () => {
  const first = await registered();
  const second = await registered();
  await provider.cancelPayment(first);
  const cancel = lastCall();
  expect(cancel.path).toBe(`/v1/payments/${first}/cancel`);

  const replayed = await replay(cancel, { path: `/v1/payments/${second}/cancel` });
  expect(replayed.status).toBe(401);
  expect(replayed.body).toMatchObject({ reason: 'mismatch' });
  expect((await wallet.orders.get(second))?.status).toBe('PENDING');
  // The same call again is what it was: idempotent.
  expect((await replay(cancel)).status).toBe(200);
});

test('a captured refund replayed under a new refund id is refused; under its own id it refunds once', async () => {
  const paid = await approved();
  await provider.refund({ refundId: 'ref_replay_1', paymentId: paid, amountMinor: 5_000, currency: 'CNY' });
  const refund = lastCall();
  expect(refund.path).toBe('/v1/refunds/ref_replay_1');

  for (const id of ['ref_replay_2', 'ref_replay_3']) {
    const replayed = await replay(refund, { path: `/v1/refunds/${id}` });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ reason: 'mismatch' });
  }
  expect((await replay(refund)).status).toBe(200);
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(5_000);
});

test('a captured call replayed with another method or body is refused', async () => {
  const paid = await approved();
  await provider.refund({ refundId: 'ref_body_1', paymentId: paid, amountMinor: 1_000, currency: 'CNY' });
  const refund = lastCall();
  expect((await replay(refund, { body: refund.body.replace('1000', '9000') })).status).toBe(401);
  expect((await replay(refund, { method: 'POST' })).status).toBe(404);
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(1_000);
});

test('a webhook the wallet sent, replayed to the API, cancels nothing', async () => {
  const paid = await approved();
  const webhook = notifications.seen.find((request) => request.body.includes(paid));
  if (!webhook) throw new Error('no webhook captured');
  const unpaid = await registered();

  const replayed = await replay(webhook, { method: 'POST', path: `/v1/payments/${unpaid}/cancel` });
  expect(replayed.status).toBe(401);
  expect((await wallet.orders.get(unpaid))?.status).toBe('PENDING');
});

test('refunds never exceed what is left of the payment; a refund id is refunded once', async () => {
  const paid = await approved();
  await provider.refund({ refundId: 'ref_cap_1', paymentId: paid, amountMinor: 15_000, currency: 'CNY' });
  await provider.refund({ refundId: 'ref_cap_1', paymentId: paid, amountMinor: 15_000, currency: 'CNY' });
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(15_000);
  await expect(provider.refund({ refundId: 'ref_cap_2', paymentId: paid, amountMinor: 5_000, currency: 'CNY' })).rejects.toMatchObject({
    extensions: { code: 'DEPENDENCY_UNAVAILABLE' },
  });
  expect(lastCall().path).toBe('/v1/refunds/ref_cap_2');
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(15_000);
  await provider.refund({ refundId: 'ref_cap_3', paymentId: paid, amountMinor: 4_900, currency: 'CNY' });
  expect((await wallet.orders.get(paid))?.refundedMinor).toBe(19_900);
});

test('/ready answers 200 while the wallet serves and its database answers, 503 once it starts stopping', async () => {
  const other = await startTestWallet({ port: 0, host: '127.0.0.1', secret: SECRET });
  expect((await fetch(`${other.url}/ready`)).status).toBe(200);
  const stopped = other.stop();
  // The stop closes the listener after marking the wallet not ready; a request that still reaches it says so.
  const during = await fetch(`${other.url}/ready`).then((response) => response.status, () => 'closed');
  expect([503, 'closed']).toContain(during);
  await stopped;
});
