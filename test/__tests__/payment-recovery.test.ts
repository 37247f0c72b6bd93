/** @backend-contract crash recovery on each engine */
// Payments and the wallet as real processes, killed at the worst moments:
// the wallet dies with the buyer's decisions not yet announced, and payments
// dies between saving a payment and registering it with the wallet. Each
// runs on the engine the environment names: PostgreSQL when DATABASE_URL is
// set, else PGlite under DATA_DIR (CI runs the suite once without it and
// once with it, so both).
import { createServer, type Server } from 'node:http';
import { close, listen } from '@interop/kit/server';
import { SIGNATURE_HEADER } from '@interop/kit/security';
import { scratchDatabase } from '@interop/testing/scratch-database';
import { postSigned, startGraph, TEST_WALLET_SECRET, type Graph } from '@interop/testing/harness';
import { buyerDecides, freshKey, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO } from '@interop/testing/payments-helpers';
import { finished, freePort, runService, waitForOutput, type Finished } from '@interop/testing/processes';
import type { ServiceName } from '../../scripts/service-build';
import { scratchDir } from '@interop/testing/scratch-dir';

let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
}, 120_000);

afterAll(async () => {
  await graph?.stop();
});

interface Running {
  child: ReturnType<typeof runService>;
  exit: Promise<Finished>;
}

const started = new Set<Running>();

afterEach(async () => {
  // Whatever a failed test left running dies here.
  for (const running of started) running.child.kill('SIGKILL');
  await Promise.all([...started].map((running) => running.exit));
  started.clear();
});

async function run(service: ServiceName, env: Record<string, string | undefined>, ready: RegExp): Promise<Running> {
  const child = runService(service, [], { LOG_LEVEL: 'info', WALLET_SIGNING_SECRET: TEST_WALLET_SECRET, ...env });
  const running = { child, exit: finished(child, 240_000) };
  started.add(running);
  await waitForOutput(child, ready, 120_000);
  return running;
}

async function kill(running: Running): Promise<void> {
  running.child.kill('SIGKILL');
  await running.exit;
  started.delete(running);
}

/** Where the books live: a fresh PGlite folder, or a fresh PostgreSQL database (dropped by `drop`). */
async function storage(engine: 'pglite' | 'postgres'): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }> {
  if (engine === 'pglite') return { env: { DATA_DIR: scratchDir('recovery-'), DATABASE_URL: undefined }, drop: async () => {} };
  const scratch = await scratchDatabase(process.env.DATABASE_URL ?? '');
  return { env: { DATABASE_URL: scratch.url.toString() }, drop: scratch.drop };
}

function paymentsEnv(port: number, walletUrl: string, extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    PAYMENTS_PORT: String(port),
    COMMERCE_URL: graph.subgraphs.commerce.url,
    MERCHANTS_URL: graph.subgraphs.merchants.url,
    WALLET_URL: walletUrl,
    WALLET_PUBLIC_URL: walletUrl,
    PEER_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** Stands where payments' webhook endpoint would: answers 503 while `held`, then passes each webhook on. */
async function webhookGate(): Promise<{ url: string; held: boolean; target: string; seen: { paymentId: string; type: string; status: number }[]; server: Server }> {
  const gate = { url: '', held: true, target: '', seen: [] as { paymentId: string; type: string; status: number }[], server: createServer() };
  gate.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { paymentId, type } = JSON.parse(body) as { paymentId: string; type: string };
      const answer = (status: number) => {
        gate.seen.push({ paymentId, type, status });
        res.writeHead(status).end();
      };
      if (gate.held) return answer(503);
      const signature = String(req.headers[SIGNATURE_HEADER] ?? '');
      fetch(gate.target, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, body })
        .then(async (response) => {
          await response.arrayBuffer();
          answer(response.status);
        })
        .catch(() => answer(502));
    });
  });
  gate.url = `http://127.0.0.1:${await listen(gate.server, 0, '127.0.0.1')}/webhooks/wallet`;
  return gate;
}

/** The payments process at `url`, as postSigned addresses it. */
const payments = (url: string) => ({ name: 'payments', url });

const INITIATE = /* GraphQL */ `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
const PAYMENT = /* GraphQL */ `query ($id: ID!) { payment(id: $id) { status events { toStatus cause } } }`;
const PAYMENTS_OF = /* GraphQL */ `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Merchant { payments(first: 100) { edges { node { id reference } } } } } }`;
const CANCEL = /* GraphQL */ `mutation ($id: ID!, $key: String!) { cancelPayment(id: $id, idempotencyKey: $key) { status } }`;
const REFUND = /* GraphQL */ `mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { status } }`;

function input(reference: string, idempotencyKey = freshKey(reference)) {
  return { platformId: 'taobao', merchantId, paymentToolId: 'wechat-pay', amount: { amountMinor: 6_600, currency: 'CNY' }, reference, idempotencyKey };
}

async function initiate(url: string, reference: string): Promise<string> {
  const response = await postSigned<{ initiatePayment: { id: string; status: string } }>(payments(url), INITIATE, { input: input(reference) });
  expect(response.errors).toBeUndefined();
  return response.data?.initiatePayment.id ?? '';
}

async function statusOf(url: string, id: string): Promise<string | undefined> {
  return (await postSigned<{ payment: { status: string } | null }>(payments(url), PAYMENT, { id })).data?.payment?.status;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await probe();
  }
  return value;
}

/** What the buyer's button does, at the wallet at `walletUrl`. */
function decide(walletUrl: string, id: string, decision: 'approve' | 'decline'): Promise<number> {
  return buyerDecides(`${walletUrl}/sandbox/payments/${encodeURIComponent(id)}`, decision);
}

async function walletPage(walletUrl: string, id: string): Promise<number> {
  const response = await fetch(`${walletUrl}/sandbox/payments/${id}`);
  await response.arrayBuffer();
  return response.status;
}

const engines = [process.env.DATABASE_URL ? 'postgres' : 'pglite'] as const;

describe.each(engines)('on %s', (engine) => {
  test('the wallet killed before announcing decisions: payments reconciles them, cancel and refund work, and the restarted wallet still delivers', async () => {
    const books = await storage(engine);
    const gate = await webhookGate();
    const walletPort = await freePort();
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    try {
      const walletEnv = { WALLET_PORT: String(walletPort), ...books.env };
      const wallet = await run('wallet', walletEnv, /sandbox wallet listening/);
      const paymentsPort = await freePort();
      const paymentsUrl = `http://127.0.0.1:${paymentsPort}/graphql`;
      gate.target = `http://127.0.0.1:${paymentsPort}/webhooks/wallet`;
      await run(
        'payments',
        paymentsEnv(paymentsPort, walletUrl, { ...books.env, PAYMENTS_WEBHOOK_URL: gate.url, PAYMENT_RECONCILE_AFTER_MS: '1000', PAYMENT_SWEEP_INTERVAL_MS: '200' }),
        /subgraph listening/,
      );
      const approved = await initiate(paymentsUrl, 'approved');
      const declined = await initiate(paymentsUrl, 'declined');
      const unpaid = await initiate(paymentsUrl, 'unpaid');
      expect(await decide(walletUrl, approved, 'approve')).toBe(200);
      expect(await decide(walletUrl, declined, 'decline')).toBe(200);
      // The webhooks were tried and held back; the wallet dies owing them.
      await eventually(async () => new Set(gate.seen.map((seen) => seen.paymentId)), (ids) => ids.has(approved) && ids.has(declined));
      await kill(wallet);

      await run('wallet', walletEnv, /sandbox wallet listening/);
      expect(await eventually(() => statusOf(paymentsUrl, approved), (status) => status === 'SUCCEEDED')).toBe('SUCCEEDED');
      expect(await eventually(() => statusOf(paymentsUrl, declined), (status) => status === 'FAILED')).toBe('FAILED');
      const settled = await postSigned<{ payment: { events: { toStatus: string; cause: string }[] } }>(payments(paymentsUrl), PAYMENT, { id: approved });
      expect(settled.data?.payment.events.map((event) => event.toStatus)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);

      // The restarted wallet still knows every payment: the unpaid one can be cancelled, the paid one refunded.
      const cancelled = await postSigned<{ cancelPayment: { status: string } }>(payments(paymentsUrl), CANCEL, { id: unpaid, key: freshKey('cancel') });
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data?.cancelPayment.status).toBe('CANCELED');
      const refund = { paymentId: approved, amount: { amountMinor: 6_600, currency: 'CNY' }, reason: 'returned', idempotencyKey: freshKey('refund') };
      const refunded = await postSigned<{ refundPayment: { status: string } }>(payments(paymentsUrl), REFUND, { input: refund });
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data?.refundPayment.status).toBe('SUCCEEDED');
      expect(await statusOf(paymentsUrl, approved)).toBe('REFUNDED');

      // Let the webhooks through: the restarted wallet delivers what it owed, and payments acknowledges them without changing anything.
      const heldBack = gate.seen.length;
      gate.held = false;
      const delivered = await eventually(
        async () => gate.seen.slice(heldBack).filter((seen) => seen.status === 200).map((seen) => `${seen.paymentId === approved ? 'approved' : 'declined'} ${seen.type}`),
        (seen) => seen.length >= 3,
      );
      expect(delivered.sort()).toEqual(['approved payment.processing', 'approved payment.succeeded', 'declined payment.failed']);
      expect(await statusOf(paymentsUrl, approved)).toBe('REFUNDED');
      expect(await statusOf(paymentsUrl, declined)).toBe('FAILED');
    } finally {
      for (const running of started) running.child.kill('SIGTERM');
      await Promise.all([...started].map((running) => running.exit));
      started.clear();
      await close(gate.server, 0);
      await books.drop();
    }
  }, 300_000);

  test('payments killed between saving a payment and registering it: a retry of the key and the reconciler each complete the registration', async () => {
    const books = await storage(engine);
    // Holds every registration, so payments dies with the wallet never having heard of the payment.
    const blackHole = createServer(() => {});
    const holeUrl = `http://127.0.0.1:${await listen(blackHole, 0, '127.0.0.1')}`;
    const wallet = graph.wallet.url;
    const paymentsPort = await freePort();
    const paymentsUrl = `http://127.0.0.1:${paymentsPort}/graphql`;
    try {
      const noSweeps = { PAYMENT_RECONCILE_AFTER_MS: '86400000', PAYMENT_SWEEP_INTERVAL_MS: '3600000' };
      // It waits for the wallet far longer than the test takes to kill it.
      const dying = await run('payments', paymentsEnv(paymentsPort, holeUrl, { ...books.env, ...noSweeps, PEER_TIMEOUT_MS: '600000' }), /subgraph listening/);
      const retried = input('retried');
      const abandoned = input('abandoned');
      const requests = [retried, abandoned].map((body) => postSigned(payments(paymentsUrl), INITIATE, { input: body }).catch(() => undefined));
      // Both payments are saved and their registrations are on their way to the black hole.
      type Saved = { _entities: { payments: { edges: { node: { id: string; reference: string } }[] } }[] };
      const saved = await eventually(
        async () => (await postSigned<Saved>(payments(paymentsUrl), PAYMENTS_OF, { r: [{ __typename: 'Merchant', id: merchantId }] })).data?._entities[0]?.payments.edges ?? [],
        (edges) => edges.length >= 2,
      );
      const ids = Object.fromEntries(saved.map(({ node }) => [node.reference, node.id]));
      expect(Object.keys(ids).sort()).toEqual(['abandoned', 'retried']);
      await kill(dying);
      await Promise.all(requests);
      expect(await walletPage(wallet, ids['retried'] ?? '')).toBe(404);

      // Restarted with no sweeps: only the retry can register its payment.
      const restarted = await run('payments', paymentsEnv(paymentsPort, wallet, { ...books.env, ...noSweeps }), /subgraph listening/);
      const retry = await postSigned<{ initiatePayment: { id: string; status: string } }>(payments(paymentsUrl), INITIATE, { input: retried });
      expect(retry.errors).toBeUndefined();
      expect(retry.data?.initiatePayment).toEqual({ id: ids['retried'], status: 'REQUIRES_ACTION' });
      expect(await walletPage(wallet, ids['retried'] ?? '')).toBe(200);
      expect(await walletPage(wallet, ids['abandoned'] ?? '')).toBe(404);
      await kill(restarted);

      // Restarted with sweeps: the reconciler registers the payment nobody retried, and the buyer can pay it.
      await run('payments', paymentsEnv(paymentsPort, wallet, { ...books.env, PAYMENT_RECONCILE_AFTER_MS: '500', PAYMENT_SWEEP_INTERVAL_MS: '200' }), /subgraph listening/);
      expect(await eventually(() => walletPage(wallet, ids['abandoned'] ?? ''), (status) => status === 200)).toBe(200);
      expect(await decide(wallet, ids['abandoned'] ?? '', 'approve')).toBe(200);
      expect(await eventually(() => statusOf(paymentsUrl, ids['abandoned'] ?? ''), (status) => status === 'SUCCEEDED')).toBe('SUCCEEDED');
    } finally {
      for (const running of started) running.child.kill('SIGTERM');
      await Promise.all([...started].map((running) => running.exit));
      started.clear();
      blackHole.closeAllConnections();
      await close(blackHole, 0);
      await books.drop();
    }
  }, 300_000);
});
