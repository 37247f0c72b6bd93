// The payments subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import {
  createLogger,
  eventStreamRoute,
  LocalEventBus,
  loadTypeDefs,
  openSharedEventBus,
  PAYMENT_EVENTS_CHANNEL,
  serveSubgraph,
  SubgraphClient,
  type EventBus,
  type RunningSubgraph,
  type SubgraphDefinition,
  type SubgraphTrust,
} from '@interop/kit';
import { createContext } from './context';
import { PAYMENT_EVENTS_PATH, publishPaymentChanges } from './payment-events';
import { PaymentService } from './payment-service';
import { PeerFacts } from './peers';
import { SandboxWallet } from './providers/sandbox-wallet';
import type { PaymentProvider } from './providers/provider';
import { resolvers } from './resolvers';
import type { PaymentLedger } from './store/ledger';
import { PaymentsStore } from './store/payments-store';
import { walletWebhookRoute } from './webhook-route';

export const paymentsSubgraph: SubgraphDefinition = {
  name: 'payments',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

type Url = string | (() => string);

export interface PeerOptions {
  commerceUrl: Url;
  merchantsUrl: Url;
  peerTimeoutMs: number;
  trust: SubgraphTrust;
}

export function createPeerFacts(options: PeerOptions): PeerFacts {
  const from = { name: 'payments', signingSecret: options.trust.signingSecret };
  return new PeerFacts(
    new SubgraphClient({ name: 'commerce', url: options.commerceUrl, timeoutMs: options.peerTimeoutMs, from }),
    new SubgraphClient({ name: 'merchants', url: options.merchantsUrl, timeoutMs: options.peerTimeoutMs, from }),
  );
}

export interface WalletOptions {
  /** Where payments calls the wallet's API. */
  apiUrl: Url;
  /** The wallet as buyers' browsers reach it. */
  publicUrl: Url;
  /** Shared secret for signed calls and webhooks. */
  secret: string;
  /** Where the wallet sends webhooks; defaults to this subgraph's /webhooks/wallet. */
  notifyUrl?: Url;
}

export interface PaymentsOptions extends PeerOptions {
  port: number;
  host: string;
  ledger: PaymentLedger;
  wallet: WalletOptions;
  /** How long an unpaid payment waits before it expires. */
  paymentTtlSeconds: number;
  /** How often unpaid payments past their time are expired. */
  expirySweepMs?: number;
  store?: PaymentsStore;
  /** Replaces the sandbox wallet (a real provider adapter). */
  provider?: PaymentProvider;
  /** Whether stopping the server also closes the ledger (true when the server's caller hands it over). */
  closeLedger?: boolean;
  /**
   * Where status changes go besides this process's own stream (/events/payments):
   * Redis when `redisUrl` is set, else PostgreSQL when `databaseUrl` names a
   * server (see `openSharedEventBus`); gateways must be given the same.
   */
  events?: PaymentEventsOptions;
}

export interface PaymentEventsOptions {
  redisUrl?: string | undefined;
  databaseUrl?: string | undefined;
  /** Channel (Redis) or NOTIFY channel (PostgreSQL); `payment_events` by default. */
  channel?: string;
}

export async function startPayments(options: PaymentsOptions): Promise<RunningSubgraph> {
  const logger = createLogger('payments');
  const store = options.store ?? new PaymentsStore();
  const peers = createPeerFacts(options);
  let ownUrl = '';
  const provider =
    options.provider ??
    new SandboxWallet({
      apiUrl: options.wallet.apiUrl,
      publicUrl: options.wallet.publicUrl,
      notifyUrl: options.wallet.notifyUrl ?? (() => ownUrl.replace(/\/graphql$/, '/webhooks/wallet')),
      secret: options.wallet.secret,
      timeoutMs: options.peerTimeoutMs,
    });
  const payments = new PaymentService(options.ledger, peers, provider, options.paymentTtlSeconds);
  const ownEvents = new LocalEventBus(logger);
  const sharedEvents = openSharedEventBus({ ...options.events, channel: options.events?.channel ?? PAYMENT_EVENTS_CHANNEL }, logger);
  const buses: EventBus[] = sharedEvents ? [ownEvents, sharedEvents] : [ownEvents];
  const stopPublishing = publishPaymentChanges(options.ledger, buses, logger);
  const eventStream = eventStreamRoute({
    bus: ownEvents,
    path: PAYMENT_EVENTS_PATH,
    secret: options.trust.signingSecret,
    logger,
  });
  const sweep = setInterval(() => {
    payments.expireDue().catch((error: unknown) => logger.error({ err: error }, 'expiry sweep failed'));
  }, options.expirySweepMs ?? 5000);
  sweep.unref();
  const running = await serveSubgraph({
    definition: paymentsSubgraph,
    logger,
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: (caller) => createContext({ store, ledger: options.ledger, peers, payments }, caller),
    routes: {
      '/webhooks/wallet': walletWebhookRoute(payments, options.wallet.secret, logger),
      [PAYMENT_EVENTS_PATH]: eventStream.route,
    },
    onStop: async () => {
      clearInterval(sweep);
      // After requests in flight finished, so the changes they made are still published.
      stopPublishing();
      await sharedEvents?.close();
      if (options.closeLedger) await options.ledger.db.close();
    },
  });
  ownUrl = running.url;
  return {
    ...running,
    stop() {
      // Event streams never end by themselves: end them first, or the drain would wait for them.
      eventStream.close();
      return running.stop();
    },
  };
}

export { PaymentsStore, createContext, PaymentService, PAYMENT_EVENTS_PATH };
export { openPaymentLedger } from './store/open';
export { PaymentLedger } from './store/ledger';
