// Starts the whole graph for one test file: the three subgraphs in this
// process on ports the OS picks, a gateway composed from their schema files
// and routed to those ports, and a helper to send operations through it.
// The merchants store is PGlite in memory, or a fresh schema on the
// PostgreSQL server named by DATABASE_URL (dropped again on stop).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunningSubgraph } from '@interop/kit';
import { CommerceStore, startCommerce } from '@interop/commerce';
import { composeSupergraph, readSupergraphConfig, startGateway, type RunningGateway } from '@interop/gateway';
import { MerchantsStore, openMerchantsStore, startMerchants } from '@interop/merchants';
import { PaymentsStore, startPayments } from '@interop/payments';

export const ROOT = join(__dirname, '..');
const HOST = '127.0.0.1';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Graph {
  gateway: RunningGateway;
  subgraphs: Record<'commerce' | 'payments' | 'merchants', RunningSubgraph>;
  stores: { commerce: CommerceStore; payments: PaymentsStore; merchants: MerchantsStore };
  /** Sends one operation through the gateway. */
  query<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export interface GraphOptions {
  merchantCount?: number;
  peerTimeoutMs?: number;
}

export async function openTestMerchantsStore(merchantCount: number): Promise<{ store: MerchantsStore; drop(): Promise<void> }> {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl ? `merchants_test_${randomBytes(6).toString('hex')}` : 'merchants';
  const store = await openMerchantsStore({ databaseUrl, merchantCount, schema });
  return {
    store,
    async drop() {
      if (databaseUrl) await store.db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await store.db.close();
    },
  };
}

export async function postGraphQL<TData>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

export async function startGraph(options: GraphOptions = {}): Promise<Graph> {
  const peerTimeoutMs = options.peerTimeoutMs ?? 2000;
  const merchantsDb = await openTestMerchantsStore(options.merchantCount ?? 300);
  const stores = { commerce: new CommerceStore(), payments: new PaymentsStore(), merchants: merchantsDb.store };
  const urls: Record<string, string> = {};
  const url = (name: string) => () => {
    const found = urls[name];
    if (!found) throw new Error(`${name} is not started`);
    return found;
  };
  const commerce = await startCommerce({ port: 0, host: HOST, store: stores.commerce });
  const payments = await startPayments({
    port: 0,
    host: HOST,
    store: stores.payments,
    commerceUrl: url('commerce'),
    merchantsUrl: url('merchants'),
    peerTimeoutMs,
  });
  const merchants = await startMerchants({
    port: 0,
    host: HOST,
    store: stores.merchants,
    commerceUrl: url('commerce'),
    paymentsUrl: url('payments'),
    peerTimeoutMs,
  });
  const subgraphs = { commerce, payments, merchants };
  for (const subgraph of Object.values(subgraphs)) urls[subgraph.name] = subgraph.url;
  const supergraphSdl = composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml')), urls);
  const gateway = await startGateway({ supergraphSdl, port: 0, host: HOST });
  return {
    gateway,
    subgraphs,
    stores,
    query: (query, variables) => postGraphQL(gateway.url, query, variables),
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop()));
      await merchantsDb.drop();
    },
  };
}
