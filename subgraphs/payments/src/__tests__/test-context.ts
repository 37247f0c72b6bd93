// A payments context for subgraph-level tests: the real store and an
// in-memory (or throwaway PostgreSQL) ledger, with peers and a wallet the
// caller chooses (often unreachable, for tests that must not need them).
import { randomUUID } from 'node:crypto';
import { openTestLedger } from '@interop/testing/harness';
import type { Caller } from '@interop/kit/security';
import { SubgraphClient } from '@interop/kit/server';
import { PARTNER_A } from '@interop/testing/identities';
import type { PaymentsContext } from '../context';
import type { PeerFacts } from '../peers';
import type { PaymentProvider, ProviderPayment, ProviderPaymentState } from '../providers/provider';
import { SandboxWallet } from '../providers/sandbox-wallet';
import type { NewPayment } from '../store/ledger';
import { WebhookStore } from '../store/webhook-store';
import { WebhookEndpoints } from '../webhooks/endpoints';
import { createContext, PaymentService, type PaymentLedger, type PaymentsStore } from '../server';

/** Nothing listens on port 1, so every request to it is refused at once. */
export const CLOSED = 'http://127.0.0.1:1/graphql';

export interface TestLedger {
  ledger: PaymentLedger;
  drop(): Promise<void>;
}

export function unreachableWallet(): SandboxWallet {
  return new SandboxWallet({ apiUrl: 'http://127.0.0.1:1', publicUrl: 'http://127.0.0.1:1', notifyUrl: CLOSED, secret: 'unused-test-secret', timeoutMs: 300 });
}

/** A new payment of 1 CNY for the ledger, with its own id and idempotency key. */
export function newPayment(expiresAt = new Date(Date.now() + 900_000).toISOString()): NewPayment {
  const id = `pay_${randomUUID().replace(/-/g, '')}`;
  return {
    id,
    platformId: 'taobao',
    merchantId: 'm0000001',
    partnerId: 'partner-a',
    toolId: 'alipay',
    amountMinor: 100,
    currency: 'CNY',
    reference: 'order',
    nextActionType: 'REDIRECT',
    nextActionUrl: 'http://wallet.invalid/pay',
    nextActionQr: null,
    channel: null,
    expiresAt,
    idempotencyKey: `key-${id}`,
    requestHash: 'hash',
  };
}

export function openLedger(): Promise<TestLedger> {
  return openTestLedger();
}

export function contextFor(store: PaymentsStore, peers: PeerFacts, ledger: PaymentLedger, caller: Caller = PARTNER_A.caller): PaymentsContext {
  const webhooks = new WebhookEndpoints(new WebhookStore(ledger.db), { allowInsecure: false, allowPrivate: false });
  return createContext({ store, peers, ledger, payments: new PaymentService(ledger, store, peers, unreachableWallet(), 900), webhooks }, caller);
}

/** A provider in memory: `states` is what it reports per payment id (absent: unknown), `registered` what it was asked to register. */
export interface StubProvider extends PaymentProvider {
  states: Map<string, ProviderPaymentState>;
  registered: ProviderPayment[];
  /** While true, every call fails as an unreachable wallet's would. */
  down: boolean;
}

export function stubProvider(): StubProvider {
  const wallet = unreachableWallet();
  const stub: StubProvider = {
    states: new Map(),
    registered: [],
    down: false,
    nextActionFor: (request) => wallet.nextActionFor(request),
    async createPayment(payment) {
      if (stub.down) return wallet.createPayment(payment);
      stub.registered.push(payment);
      if (!stub.states.has(payment.paymentId)) stub.states.set(payment.paymentId, { status: 'PENDING', amountMinor: payment.amountMinor, currency: payment.currency });
    },
    async retrieve(paymentId) {
      if (stub.down) return wallet.retrieve(paymentId);
      return stub.states.get(paymentId) ?? null;
    },
    cancelPayment: (paymentId) => wallet.cancelPayment(paymentId),
    refund: (refund) => wallet.refund(refund),
  };
  return stub;
}

/** A platform's rule as commerce answers it. */
export interface PeerRule {
  tool: { id: string };
  status: string;
  requiresMerchantOptIn: boolean;
  checkoutRank: number;
}

/**
 * Commerce, as payments' peer client meets it: it answers each platform's
 * rules as `stated` says now. `asked` lists the platform ids of every call,
 * one array per call.
 */
export function commerceStating(stated: Map<string, PeerRule[]>): { asked: string[][] } {
  const asked: string[][] = [];
  const real = SubgraphClient.prototype.request;
  jest.spyOn(SubgraphClient.prototype, 'request').mockImplementation(async function (this: SubgraphClient, query: string, variables?: Record<string, unknown>) {
    if (this.name !== 'commerce') return real.call(this, query, variables);
    const ids = ((variables?.['representations'] ?? []) as { id: string }[]).map((representation) => representation.id);
    asked.push(ids);
    return { _entities: ids.map((id) => ({ name: id, acceptedPaymentTools: stated.get(id) ?? [] })) } as never;
  });
  return { asked };
}
