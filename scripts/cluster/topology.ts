// What `npm run cluster` runs and how the pieces find each other: two
// gateways, two payments and two merchants replicas behind HAProxy, one
// commerce and the sandbox wallet, each on its own port. Clients reach the
// gateways through the balancer; the gateways and the subgraphs reach the
// payments and merchants replicas through its frontends for them, and the
// wallet sends its webhooks there too; commerce and the wallet, single,
// are reached directly.
import type { ServiceName } from '../service-build';
import type { HaproxyPlan, Tier } from './haproxy-config';

export const REPLICAS = 2;

export interface ClusterPorts {
  /** The balancer's frontend for the gateways: what clients use. */
  balancer: number;
  stats: number;
  /** HAProxy's frontends for the replicated subgraphs. */
  paymentsTier: number;
  merchantsTier: number;
  commerce: number;
  wallet: number;
  gateways: readonly number[];
  payments: readonly number[];
  merchants: readonly number[];
}

/** How many ports a cluster takes. */
export const PORT_COUNT = 6 + 3 * REPLICAS;

/** Ports in the order `freePorts(PORT_COUNT)` gives them, the balancer's first unless it is chosen. */
export function assignPorts(free: readonly number[], balancer?: number): ClusterPorts {
  const take = (() => {
    let next = 0;
    return (count: number) => {
      const taken = free.slice(next, next + count);
      if (taken.length < count) throw new Error(`a cluster needs ${PORT_COUNT} ports`);
      next += count;
      return taken;
    };
  })();
  const [first, stats, paymentsTier, merchantsTier, commerce, wallet] = take(6) as [number, number, number, number, number, number];
  return {
    balancer: balancer || first,
    stats,
    paymentsTier,
    merchantsTier,
    commerce,
    wallet,
    gateways: take(REPLICAS),
    payments: take(REPLICAS),
    merchants: take(REPLICAS),
  };
}

export interface ClusterProcess {
  /** `gateway-1`, `payments-2`, `commerce`, `wallet`. */
  name: string;
  service: ServiceName;
  port: number;
  /** Arguments after the entry point. */
  args: string[];
  /** Set on top of the environment every process gets. */
  env: Record<string, string>;
  healthUrl: string;
}

export interface ClusterPlan {
  /** What clients use: the balancer in front of the gateways. */
  url: string;
  walletPublicUrl: string;
  statsUrl: string;
  haproxy: HaproxyPlan;
  /** The subgraphs and the wallet first; the gateways, which route to them, last. */
  processes: ClusterProcess[];
}

const local = (port: number) => `http://127.0.0.1:${port}`;
const names = (service: string) => Array.from({ length: REPLICAS }, (_, i) => `${service}-${i + 1}`);

export function planCluster(ports: ClusterPorts, gatewayArgs: { supergraphPath: string; demoDir?: string | undefined }): ClusterPlan {
  const commerceUrl = `${local(ports.commerce)}/graphql`;
  const paymentsUrl = `${local(ports.paymentsTier)}/graphql`;
  const merchantsUrl = `${local(ports.merchantsTier)}/graphql`;
  const walletPublicUrl = local(ports.wallet);
  const health = (port: number) => `${local(port)}/health`;

  const processes: ClusterProcess[] = [
    { name: 'commerce', service: 'commerce', port: ports.commerce, args: [], env: { COMMERCE_PORT: String(ports.commerce) }, healthUrl: health(ports.commerce) },
    { name: 'wallet', service: 'wallet', port: ports.wallet, args: [], env: { WALLET_PORT: String(ports.wallet) }, healthUrl: health(ports.wallet) },
    ...names('payments').map((name, i) => {
      const port = ports.payments[i] as number;
      return {
        name,
        service: 'payments' as const,
        port,
        args: [],
        env: {
          PAYMENTS_PORT: String(port),
          COMMERCE_URL: commerceUrl,
          MERCHANTS_URL: merchantsUrl,
          WALLET_URL: local(ports.wallet),
          WALLET_PUBLIC_URL: walletPublicUrl,
          // Whichever replica registered a payment, its webhooks go to whichever replica is up.
          PAYMENTS_WEBHOOK_URL: `${local(ports.paymentsTier)}/webhooks/wallet`,
        },
        healthUrl: health(port),
      };
    }),
    ...names('merchants').map((name, i) => {
      const port = ports.merchants[i] as number;
      return {
        name,
        service: 'merchants' as const,
        port,
        args: [],
        env: { MERCHANTS_PORT: String(port), COMMERCE_URL: commerceUrl, PAYMENTS_URL: paymentsUrl },
        healthUrl: health(port),
      };
    }),
    ...names('gateway').map((name, i) => {
      const port = ports.gateways[i] as number;
      return {
        name,
        service: 'gateway' as const,
        port,
        args: [
          '--supergraph',
          gatewayArgs.supergraphPath,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--subgraph-url',
          `commerce=${commerceUrl}`,
          '--subgraph-url',
          `payments=${paymentsUrl}`,
          '--subgraph-url',
          `merchants=${merchantsUrl}`,
          ...(gatewayArgs.demoDir ? ['--demo', gatewayArgs.demoDir] : []),
        ],
        env: {},
        healthUrl: health(port),
      };
    }),
  ];

  const tier = (name: string, port: number, replicaPorts: readonly number[], extra: Partial<Tier> = {}): Tier => ({
    name,
    port,
    servers: names(name).map((server, i) => ({ name: server, port: replicaPorts[i] as number })),
    // A replica leaves rotation as soon as it starts stopping (or loses its database), before its drain.
    healthPath: '/ready',
    balance: 'roundrobin',
    ...extra,
  });
  return {
    url: `${local(ports.balancer)}/`,
    walletPublicUrl,
    statsUrl: `${local(ports.stats)}/stats`,
    haproxy: {
      statsPort: ports.stats,
      tiers: [
        tier('gateway', ports.balancer, ports.gateways, { balance: 'leastconn', forwardFor: true, healthPath: '/health' }),
        tier('payments', ports.paymentsTier, ports.payments),
        tier('merchants', ports.merchantsTier, ports.merchants),
      ],
    },
    processes,
  };
}
