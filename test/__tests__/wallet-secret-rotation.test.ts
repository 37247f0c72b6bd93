/** @backend-contract the wallet's store on each engine */
// Rotating WALLET_SIGNING_SECRET while payments and the wallet restart one by
// one (docs/operating.md): a process signs with its own secret and accepts
// that one and the ones it is told to accept besides it. Wallet processes at
// each step of the rotation share one set of books, as replicas do; payments'
// webhook receiver at a step is the real route over a recording service.
import { createServer } from 'node:http';
import { createLogger } from '@interop/kit';
import { close, listen } from '@interop/kit/server';
import { startWallet, type RunningWallet } from '@interop/wallet';
import type { PaymentService, WalletEvent } from '../../subgraphs/payments/src/payment-service';
import { SandboxWallet } from '../../subgraphs/payments/src/providers/sandbox-wallet';
import { walletWebhookRoute } from '../../subgraphs/payments/src/webhook-route';
import { openTestWalletDatabase } from '@interop/testing/test-wallet';
import { buyerDecides } from '@interop/testing/payments-helpers';

const OLD = 'wallet-rotation-old-secret-01';
const NEW = 'wallet-rotation-new-secret-02';

interface Receiver {
  url: string;
  applied: string[];
  /** How many deliveries it refused for their signature. */
  refused(): number;
  stop(): Promise<void>;
}

/** Payments' webhook route accepting `secrets`; records the payments whose events it applied, and its refusals. */
async function paymentsReceiving(secrets: readonly string[]): Promise<Receiver> {
  const applied: string[] = [];
  let refused = 0;
  const service = {
    applyWalletEvent: async (event: WalletEvent) => {
      applied.push(event.paymentId);
      return 'applied' as const;
    },
  } as unknown as PaymentService;
  const route = walletWebhookRoute(service, secrets, createLogger('payments'));
  const server = createServer((req, res) => {
    res.on('finish', () => {
      if (res.statusCode === 401) refused += 1;
    });
    void route(req, res);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/webhooks/wallet`, applied, refused: () => refused, stop: () => close(server, 0) };
}

let books: Awaited<ReturnType<typeof openTestWalletDatabase>>;
/** Wallet processes: step 1 signs with the old secret and accepts the new; step 2 the other way round; step 3 knows only the new. */
let wallets: { step1: RunningWallet; step2: RunningWallet; step3: RunningWallet };
let receivers: { step1: Receiver; step3: Receiver };
let ids = 0;

beforeAll(async () => {
  books = await openTestWalletDatabase();
  const wallet = (secret: string, acceptedSecrets?: string[]) =>
    startWallet({ port: 0, host: '127.0.0.1', secret, ...(acceptedSecrets ? { acceptedSecrets } : {}), db: books.db, webhookMinDelayMs: 10, webhookMaxDelayMs: 50 });
  wallets = { step1: await wallet(OLD, [NEW]), step2: await wallet(NEW, [OLD]), step3: await wallet(NEW) };
  receivers = { step1: await paymentsReceiving([OLD, NEW]), step3: await paymentsReceiving([NEW]) };
});

afterAll(async () => {
  await Promise.all(Object.values(wallets ?? {}).map((wallet) => wallet.stop()));
  await Promise.all(Object.values(receivers ?? {}).map((receiver) => receiver.stop()));
  await books?.drop();
});

/** Registers a payment with `wallet` as payments signing with `secret` does, its webhooks going to `notifyUrl`. */
async function register(wallet: RunningWallet, secret: string, notifyUrl: string): Promise<string> {
  const paymentId = `pay_rotation_${(ids += 1)}`;
  const provider = new SandboxWallet({ apiUrl: wallet.url, publicUrl: wallet.url, notifyUrl, secret, timeoutMs: 5000 });
  await provider.createPayment({
    paymentId,
    toolId: 'alipay',
    merchantId: 'm0000002',
    platformId: 'taobao',
    amountMinor: 19_900,
    currency: 'CNY',
    reference: 'rotation',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  });
  return paymentId;
}

test("the wallet accepts payments' calls signed with its own secret or an accepted one, and refuses the old once it is dropped", async () => {
  await expect(register(wallets.step1, NEW, receivers.step1.url)).resolves.toMatch(/^pay_/);
  await expect(register(wallets.step2, OLD, receivers.step1.url)).resolves.toMatch(/^pay_/);
  await expect(register(wallets.step3, NEW, receivers.step1.url)).resolves.toMatch(/^pay_/);
  await expect(register(wallets.step3, OLD, receivers.step1.url)).rejects.toMatchObject({ extensions: { code: 'DEPENDENCY_UNAVAILABLE' } });
});

test('a page one wallet process showed under the old secret can be decided on one that signs with the new, until the old is dropped', async () => {
  const decidedOnStep2 = await register(wallets.step1, OLD, receivers.step1.url);
  const page = (wallet: RunningWallet, paymentId: string) => `${wallet.url}/sandbox/payments/${paymentId}`;
  // The token comes from step 1's page; the decision goes to step 2, which signs its webhook with the new secret.
  const tokenOf = async (paymentId: string) => {
    const shown = await fetch(page(wallets.step1, paymentId), { headers: { accept: 'application/json' } });
    return ((await shown.json()) as { csrfToken: string }).csrfToken;
  };
  const decide = async (wallet: RunningWallet, paymentId: string) => {
    const response = await fetch(`${page(wallet, paymentId)}/approve`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: await tokenOf(paymentId) }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  expect(await decide(wallets.step2, decidedOnStep2)).toBe(200);
  await wallets.step2.webhooks.idle();
  // Payments at step 1 accepts the new secret's webhooks.
  expect(receivers.step1.applied).toContain(decidedOnStep2);

  const refusedOnStep3 = await register(wallets.step1, OLD, receivers.step1.url);
  expect(await decide(wallets.step3, refusedOnStep3)).toBe(403);
});

test('payments that dropped the old secret refuse webhooks a wallet still signs with it; those signed with the new are applied', async () => {
  const fromBehind = await register(wallets.step1, OLD, receivers.step3.url);
  expect(await buyerDecides(`${wallets.step1.url}/sandbox/payments/${fromBehind}`, 'approve')).toBe(200);
  await wallets.step1.webhooks.idle();
  expect(receivers.step3.applied).not.toContain(fromBehind);
  expect(receivers.step3.refused()).toBeGreaterThan(0);

  const fromCurrent = await register(wallets.step3, NEW, receivers.step3.url);
  expect(await buyerDecides(`${wallets.step3.url}/sandbox/payments/${fromCurrent}`, 'approve')).toBe(200);
  await wallets.step3.webhooks.idle();
  expect(receivers.step3.applied).toContain(fromCurrent);
});
