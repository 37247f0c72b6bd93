// The payments subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { createLogger } from '@interop/kit';
import { loadTypeDefs, serveSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@interop/kit/server';
import { everyAcceptedSecret } from '@interop/kit/security';
import { eventOutlet, type SharedEventBusConfig } from '@interop/kit/events';
import { registerHeldFactsMetrics, type PeerUrl } from '@interop/kit/peers';
import { createContext } from './context';
import { PAYMENT_EVENTS_CHANNEL, PAYMENT_EVENTS_PATH } from './payment-event-contract';
import { publishPaymentChanges } from './payment-events';
import { PaymentService } from './payment-service';
import { createPeerFacts, type PeerOptions } from './peers';
import { Reconciler } from './reconciler';
import { RegistrationMarks } from './registration-marks';
import { SandboxWallet } from './providers/sandbox-wallet';
import type { PaymentProvider } from './providers/provider';
import { resolvers } from './resolvers';
import type { PaymentLedger } from './store/ledger';
import { PaymentsStore } from './store/payments-store';
import { type Rehearsals, rehearseNewPayments } from './store/rehearsal';
import { walletWebhookRoute } from './webhook-route';
import { WebhookStore } from './store/webhook-store';
import { WebhookEndpoints } from './webhooks/endpoints';
import { WebhookMetrics } from './webhooks/metrics';
import { webhookSettings, type WebhookSettings } from './webhooks/settings';
import { DeliveryWorker } from './webhooks/worker';

export const paymentsSubgraph: SubgraphDefinition = {
  name: 'payments',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

export interface WalletOptions {
  /** Where payments calls the wallet's API. */
  apiUrl: PeerUrl;
  /** The wallet as buyers' browsers reach it. */
  publicUrl: PeerUrl;
  /** Shared secret for signed calls and webhooks. */
  secret: string;
  /** Wallet secrets whose webhooks are accepted besides `secret`'s, while it is rotated. */
  acceptedSecrets?: readonly string[];
  /** Where the wallet sends webhooks; defaults to this subgraph's /webhooks/wallet. */
  notifyUrl?: PeerUrl;
}

export interface PaymentsOptions extends PeerOptions {
  port: number;
  host: string;
  ledger: PaymentLedger;
  wallet: WalletOptions;
  /** How long an unpaid payment waits before it expires. */
  paymentTtlSeconds: number;
  /** How often payments past their time or waiting on the wallet are looked for (expired or reconciled); 5 s by default. */
  expirySweepMs?: number;
  /** How long a payment waits in REQUIRES_ACTION or PROCESSING before the wallet is asked where it stands; 60 s by default. */
  reconcileAfterMs?: number;
  store?: PaymentsStore;
  /** Replaces the sandbox wallet (a real provider adapter). */
  provider?: PaymentProvider;
  /** Whether stopping the server also closes the ledger (true when the server's caller hands it over). */
  closeLedger?: boolean;
  /**
   * Where status changes go besides this process's own stream (/events/payments):
   * Redis when `redisUrl` is set, else PostgreSQL when `databaseUrl` names a
   * server (see `openSharedEventBus`); gateways must be given the same. The
   * channel is `payment_events` unless given.
   */
  events?: Partial<SharedEventBusConfig>;
  /**
   * Where commerce and merchants announce changes of their facts, as they are
   * configured (the `graph_facts` channel unless given): with it, payments
   * holds the facts a checkout reads while it hears those changes; without
   * it, every checkout asks commerce and merchants.
   */
  factEvents?: Partial<SharedEventBusConfig>;
  /** With `factEvents`: at most this many merchants' facts are held (200,000 unless given). */
  heldMerchantsAtMost?: number;
  /** Partner webhooks (PARTNER_WEBHOOKS_*); the contract's defaults where not given. */
  partnerWebhooks?: Partial<WebhookSettings>;
  /** How often a new payment's writes are rehearsed before it serves (DEFAULT_REHEARSALS unless given). */
  rehearsals?: Rehearsals;
}

export async function startPayments(options: PaymentsOptions): Promise<RunningSubgraph> {
  const logger = createLogger('payments');
  const store = options.store ?? new PaymentsStore();
  const peers = createPeerFacts(
    options,
    options.factEvents && { facts: options.factEvents, logger, ...(options.heldMerchantsAtMost === undefined ? {} : { merchantsAtMost: options.heldMerchantsAtMost }) },
  );
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
  const registrationMarks = new RegistrationMarks(options.ledger, logger);
  const payments = new PaymentService(options.ledger, store, peers, provider, options.paymentTtlSeconds, registrationMarks);
  const events = eventOutlet({
    shared: options.events,
    channel: PAYMENT_EVENTS_CHANNEL,
    path: PAYMENT_EVENTS_PATH,
    secret: options.trust.signingSecret,
    ...(options.trust.acceptedSecrets ? { acceptedSecrets: options.trust.acceptedSecrets } : {}),
    logger,
  });
  const stopPublishing = publishPaymentChanges(options.ledger, events.buses, logger);
  const reconciler = new Reconciler(options.ledger, provider, payments, logger, { staleMs: options.reconcileAfterMs ?? 60_000 });
  reconciler.start(options.expirySweepMs ?? 5000);
  // Partner webhooks are sent by a worker of their own, never in a request: the outbox rows the ledger writes are its queue.
  const webhookConfig = webhookSettings(options.partnerWebhooks);
  const webhookStore = new WebhookStore(options.ledger.db);
  const webhookMetrics = new WebhookMetrics();
  registerHeldFactsMetrics(webhookMetrics.registry, 'payments', () => peers.held());
  const deliveries = new DeliveryWorker(webhookStore, webhookConfig, webhookMetrics, logger);
  // Before anything else writes, so the first payments meet the write path warm.
  await rehearseNewPayments(options.ledger, webhookStore, logger, options.rehearsals);
  const stopNudging = options.ledger.onDeliveriesQueued(() => deliveries.nudge());
  const stopHanding = options.ledger.handDeliveriesTo(deliveries);
  deliveries.start();
  const webhooks = new WebhookEndpoints(webhookStore, webhookConfig, () => deliveries.nudge());
  const running = await serveSubgraph({
    definition: paymentsSubgraph,
    logger,
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: (caller) => createContext({ store, ledger: options.ledger, peers, payments, webhooks }, caller),
    readinessCheck: () => options.ledger.db.query('SELECT 1'),
    routes: {
      '/webhooks/wallet': walletWebhookRoute(payments, everyAcceptedSecret(options.wallet.secret, options.wallet.acceptedSecrets), logger),
      '/metrics': webhookMetrics.route(webhookStore),
      ...events.routes,
    },
    onStop: async () => {
      await reconciler.stop();
      stopNudging();
      stopHanding();
      await deliveries.stop();
      await registrationMarks.flush();
      stopPublishing();
      await events.close();
      await peers.stop();
      if (options.closeLedger) await options.ledger.db.close();
    },
  });
  ownUrl = running.url;
  return events.endingStreamsOnStop(running);
}

export { PaymentsStore, createContext, createPeerFacts, PaymentService, type PeerOptions };
export { openPaymentLedger } from './store/open';
export { webhookSettingsFromConfig, type WebhookSettings } from './webhooks/settings';
export { PaymentLedger } from './store/ledger';
export { decodePaymentEvent, encodePaymentEvent, PAYMENT_EVENTS_CHANNEL, PAYMENT_EVENTS_PATH, type PaymentChanged, type PaymentEventMessage, type PaymentsResync } from './payment-event-contract';
