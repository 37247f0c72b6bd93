// Starts the whole graph for one test file: the three subgraphs in this
// process on ports the OS picks, a gateway composed from their schema files
// and routed to those ports, and a helper to send operations through it.
// The stores keep their tables in schemas of their own (packages/testing/src/databases): on
// the PostgreSQL server DATABASE_URL names, else in PGlite databases the jest
// worker keeps running across test files; dropped again on stop. Payment
// events travel as configured in production: on Redis when REDIS_URL is set,
// else on PostgreSQL when DATABASE_URL is, else on payments' own event stream;
// each graph on a channel of its own, so test files never hear each other.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunningSubgraph, SubgraphTrust } from '@interop/kit/server';
import { IDENTITY_HEADER, signIdentity, type Caller } from '@interop/kit/security';
import { CommerceStore, startCommerce } from '@interop/commerce';
import {
  DEFAULT_RESPONSE_CACHE,
  startGateway,
  type GatewayOptions,
  type FollowedBusConfig,
  type LiveEventsConfig,
  type RunningGateway,
} from '@interop/gateway';
import { MerchantsStore, openMerchantsStore, startMerchants } from '@interop/merchants';
import { openPaymentLedger, PAYMENT_EVENTS_CHANNEL, PaymentLedger, PaymentsStore, startPayments, type WebhookSettings } from '@interop/payments';
import { startWallet, type RunningWallet } from '@interop/wallet';
import { TEST_AUTH, PARTNER_A, TEST_TRUST, type TestCredential } from './identities';
import { openTestStore } from './databases';
import { supergraphRoutedTo } from './supergraph-once';
import { openTestWalletDatabase } from './test-wallet';

export const ROOT = join(__dirname, '..', '..', '..');
const HOST = '127.0.0.1';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; locations?: { line: number; column: number }[]; extensions?: Record<string, unknown> }[];
}

/** The secret the test wallet and payments share; tests sign forged and real webhooks with it. */
export const TEST_WALLET_SECRET = 'test-wallet-signing-secret';

export interface Graph {
  gateway: RunningGateway;
  subgraphs: Record<'commerce' | 'payments' | 'merchants', RunningSubgraph>;
  wallet: RunningWallet;
  stores: { commerce: CommerceStore; payments: PaymentsStore; merchants: MerchantsStore; ledger: PaymentLedger };
  /** How payments publishes its events, and so how every gateway of this graph must follow them. */
  events: FollowedBusConfig;
  /** The same for merchants' opt-in changes (which empty the gateways' response caches). */
  factEvents: FollowedBusConfig;
  /** Sends one operation through the gateway as PARTNER_A (every scope). */
  query<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  /** Sends one operation with these headers (a credential, or none for an anonymous call). */
  queryAs<TData = Record<string, unknown>>(as: Credentials, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export interface GraphOptions {
  merchantCount?: number;
  peerTimeoutMs?: number;
  paymentTtlSeconds?: number;
  expirySweepMs?: number;
  /** How long a payment waits unsettled before payments asks the wallet (see startPayments). */
  reconcileAfterMs?: number;
  /** Where the wallet sends payments' webhooks instead of payments itself (a test that holds them back). */
  webhookUrl?: string;
  /** The bus payment events travel on; by default the one the environment provides (see the top of this file). */
  eventBus?: EventBusKind;
  /** Options for the graph's gateway, over TEST_GATEWAY_OPTIONS. */
  gateway?: Partial<Omit<GatewayOptions, 'supergraphSdl'>>;
  /** What the subgraphs sign peer calls with and accept (TEST_TRUST unless given); the gateway's secret is in `gateway`. */
  trust?: SubgraphTrust;
  /**
   * Partner webhook settings for payments. By default tests retry after 50 ms
   * (not 30 s) and look for due retries every 100 ms; a test sending to a
   * receiver on 127.0.0.1 sets `allowInsecure` and `allowPrivate`.
   */
  partnerWebhooks?: Partial<WebhookSettings>;
}

/** What test graphs deliver partner webhooks with, unless a test says otherwise. */
export const TEST_PARTNER_WEBHOOKS: Partial<WebhookSettings> = { retryBaseMs: 50, pollMs: 100, timeoutMs: 5000 };

export type EventBusKind = 'redis' | 'postgres' | 'stream';

/** The buses this environment can run: always payments' own stream, Redis and PostgreSQL when their URLs are set. */
export function availableEventBuses(): EventBusKind[] {
  return ['stream', ...(process.env.REDIS_URL ? (['redis'] as const) : []), ...(process.env.DATABASE_URL ? (['postgres'] as const) : [])];
}

/** The bus a graph uses unless told otherwise: the one production would pick in this environment. */
export function defaultEventBus(): EventBusKind {
  return process.env.REDIS_URL ? 'redis' : process.env.DATABASE_URL ? 'postgres' : 'stream';
}

function eventsConfig(kind: EventBusKind, events: string): FollowedBusConfig {
  const channel = `${events}_test_${randomBytes(6).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL || undefined;
  const databaseUrl = process.env.DATABASE_URL || undefined;
  switch (kind) {
    case 'redis':
      if (!redisUrl) throw new Error('REDIS_URL is not set');
      return { redisUrl, channel };
    case 'postgres':
      if (!databaseUrl) throw new Error('DATABASE_URL is not set');
      return { databaseUrl, channel };
    case 'stream':
      return { channel };
  }
}

/** The gateway's side of the bus payments announces on: the supergraph declares `payment_events`; this graph's channel stands in for it. */
export function liveEventsOf(events: FollowedBusConfig): LiveEventsConfig {
  const { channel, ...bus } = events;
  return { ...bus, ...(channel ? { channels: { [PAYMENT_EVENTS_CHANNEL]: channel } } : {}) };
}

export async function openTestMerchantsStore(merchantCount: number): Promise<{ store: MerchantsStore; drop(): Promise<void> }> {
  const { opened, drop } = await openTestStore('merchants', (storage) => openMerchantsStore({ ...storage, merchantCount }), (store) => store.db);
  return { store: opened, drop };
}

export async function openTestLedger(): Promise<{ ledger: PaymentLedger; drop(): Promise<void> }> {
  const { opened, drop } = await openTestStore('payments', openPaymentLedger, (ledger) => ledger.db);
  return { ledger: opened, drop };
}

/** Who a test request is from: a test API key, raw headers, or null for nobody. */
export type Credentials = TestCredential | Record<string, string> | null;

export const credentialHeaders = (as: Credentials): Record<string, string> =>
  as === null ? {} : 'key' in as && 'caller' in as ? { 'x-api-key': as.key } : (as as Record<string, string>);

export async function postGraphQL<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  as: Credentials = null,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders(as) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** Sends one operation straight to a subgraph, signed as the gateway would sign it for `caller`. */
export async function postSigned<TData>(
  subgraph: { name: string; url: string },
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = PARTNER_A.caller,
): Promise<GraphQLResponse<TData>> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(TEST_TRUST.signingSecret, caller, subgraph.name, body) },
    body,
  });
  const answer = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...answer };
}

/**
 * For a test file whose subject is neither storage nor how events travel (the
 * demo, the SDK, the gateway's own operation): its graph and the processes it
 * starts run on the embedded defaults whatever the environment names, as a
 * new user's do. Jest gives each test file a copy of process.env of its own,
 * so no other file is affected.
 */
export function useEmbeddedBackends(): void {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
}

export async function startGraph(options: GraphOptions = {}): Promise<Graph> {
  // All servers share this process's event loop under test, so peers get more slack than in production.
  const peerTimeoutMs = options.peerTimeoutMs ?? 5000;
  const merchantsDb = await openTestMerchantsStore(options.merchantCount ?? 300);
  const ledgerDb = await openTestLedger();
  const stores = { commerce: new CommerceStore(), payments: new PaymentsStore(), merchants: merchantsDb.store, ledger: ledgerDb.ledger };
  const events = eventsConfig(options.eventBus ?? defaultEventBus(), 'payment_events');
  const factEvents = eventsConfig(options.eventBus ?? defaultEventBus(), 'graph_facts');
  const walletDb = await openTestWalletDatabase();
  const wallet = await startWallet({ port: 0, host: HOST, secret: TEST_WALLET_SECRET, db: walletDb.db, webhookMinDelayMs: 20, webhookMaxDelayMs: 200 });
  const urls: Record<string, string> = {};
  const url = (name: string) => () => {
    const found = urls[name];
    if (!found) throw new Error(`${name} is not started`);
    return found;
  };
  const trust = options.trust ?? TEST_TRUST;
  const commerce = await startCommerce({ port: 0, host: HOST, store: stores.commerce, trust, events: factEvents });
  const payments = await startPayments({
    port: 0,
    host: HOST,
    store: stores.payments,
    ledger: stores.ledger,
    commerceUrl: url('commerce'),
    merchantsUrl: url('merchants'),
    peerTimeoutMs,
    wallet: { apiUrl: wallet.url, publicUrl: wallet.url, secret: TEST_WALLET_SECRET, ...(options.webhookUrl ? { notifyUrl: options.webhookUrl } : {}) },
    paymentTtlSeconds: options.paymentTtlSeconds ?? 900,
    trust,
    ...(options.expirySweepMs === undefined ? {} : { expirySweepMs: options.expirySweepMs }),
    ...(options.reconcileAfterMs === undefined ? {} : { reconcileAfterMs: options.reconcileAfterMs }),
    events,
    factEvents,
    partnerWebhooks: { ...TEST_PARTNER_WEBHOOKS, ...options.partnerWebhooks },
    // Once, so the path runs; the rest only buys speed a test does not measure.
    rehearsals: { times: 1, withinMs: 0 },
  });
  const merchants = await startMerchants({
    port: 0,
    host: HOST,
    store: stores.merchants,
    commerceUrl: url('commerce'),
    paymentsUrl: url('payments'),
    peerTimeoutMs,
    trust,
    events: factEvents,
    factEvents,
  });
  const subgraphs = { commerce, payments, merchants };
  for (const subgraph of Object.values(subgraphs)) urls[subgraph.name] = subgraph.url;
  const supergraphSdl = supergraphFor(urls);
  const gateway = await startGateway({ ...TEST_GATEWAY_OPTIONS, liveEvents: liveEventsOf(events), factEvents, ...options.gateway, supergraphSdl, port: 0, host: HOST });
  return {
    gateway,
    subgraphs,
    wallet,
    stores,
    events,
    factEvents,
    query: (query, variables) => postGraphQL(gateway.url, query, variables, PARTNER_A),
    queryAs: (as, query, variables) => postGraphQL(gateway.url, query, variables, as),
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop()));
      await wallet.stop();
      await Promise.all([merchantsDb.drop(), ledgerDb.drop(), walletDb.drop()]);
    },
  };
}

/** What every test gateway trusts and accepts: the test signing secret, the test API keys and HS256 JWTs. */
export const TEST_GATEWAY_OPTIONS = {
  signingSecret: TEST_TRUST.signingSecret,
  auth: TEST_AUTH,
  // Load tests send thousands of requests a minute; the rate-limit tests set their own budget.
  rateLimit: { enabled: true, points: 1_000_000, anonymousPoints: 1_000_000, windowSeconds: 60 },
} as const;

/**
 * For a test that must reach the subgraphs on every request: one that changes
 * facts behind the graph's back (no event announces a mocked store), or one
 * that measures what happens to subgraph fetches under load.
 */
export const NO_RESPONSE_CACHE = { responseCache: { ...DEFAULT_RESPONSE_CACHE, enabled: false } } as const;

/** The supergraph routed to these URLs, by subgraph name (composed once per run: packages/testing/src/supergraph-once.ts). */
export function supergraphFor(urls: Readonly<Record<string, string>>): string {
  return supergraphRoutedTo(urls);
}

/** Another gateway over the same subgraphs, with some routed elsewhere (a proxy) and its own options. */
export function startGatewayFor(
  graph: Graph,
  routes: Readonly<Record<string, string>> = {},
  options: Partial<Omit<GatewayOptions, 'supergraphSdl'>> = {},
): Promise<RunningGateway> {
  const urls = Object.fromEntries(Object.values(graph.subgraphs).map((subgraph) => [subgraph.name, routes[subgraph.name] ?? subgraph.url]));
  return startGateway({ ...TEST_GATEWAY_OPTIONS, liveEvents: liveEventsOf(graph.events), factEvents: graph.factEvents, ...options, supergraphSdl: supergraphFor(urls), port: 0, host: HOST });
}
