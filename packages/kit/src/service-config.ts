// The environment every process of the product reads, in one place. Ports and
// peer URLs follow the same defaults that `npm start` and supergraph.yaml use.
import { ConfigError, flag, ownSecret, ownSecrets, port, readConfig, secretList, wholeNumber, z } from './config';
import { DEVELOPMENT_SIGNING_SECRET } from './identity';
import type { SubgraphTrust } from './subgraph';

export const DEFAULT_PORTS = { gateway: 4000, commerce: 4001, payments: 4002, merchants: 4003, wallet: 4004 } as const;
export type SubgraphName = 'commerce' | 'payments' | 'merchants';

const optionalUrl = z.url().optional();

/** The wallet's secret in development; a production start of payments or the wallet refuses it (see `walletSecret`). */
export const DEVELOPMENT_WALLET_SECRET = 'sandbox-signing-secret-change-me';

/** The shortest shared secret a process takes, current or accepted. */
export const SECRET_MIN_LENGTH = 16;

const serviceEnv = z.object({
  COMMERCE_PORT: port(DEFAULT_PORTS.commerce),
  PAYMENTS_PORT: port(DEFAULT_PORTS.payments),
  MERCHANTS_PORT: port(DEFAULT_PORTS.merchants),
  /** Interface the subgraphs bind; loopback by default, since clients go through the gateway. */
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  /** Overrides where a subgraph reaches a peer (defaults to 127.0.0.1 and the peer's port). */
  COMMERCE_URL: optionalUrl,
  PAYMENTS_URL: optionalUrl,
  MERCHANTS_URL: optionalUrl,
  /** How long a subgraph waits for a peer before failing closed. */
  PEER_TIMEOUT_MS: wholeNumber(2000, 1, 600_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().min(1).optional(),
  /** A Redis server that carries events between processes (payment status changes to every gateway). */
  REDIS_URL: optionalUrl,
  WALLET_PORT: port(DEFAULT_PORTS.wallet),
  /** Where payments calls the sandbox wallet's API. */
  WALLET_URL: optionalUrl,
  /** The wallet's address as a buyer's browser reaches it, for `nextAction.url`. */
  WALLET_PUBLIC_URL: optionalUrl,
  /** Where the wallet sends payment webhooks (defaults to the payments subgraph's /webhooks/wallet). */
  PAYMENTS_WEBHOOK_URL: optionalUrl,
  /** Shared secret for the wallet's signed API calls and webhooks; set your own outside development. */
  WALLET_SIGNING_SECRET: z.string().min(SECRET_MIN_LENGTH).default(DEVELOPMENT_WALLET_SECRET),
  /** More wallet secrets accepted, never signed with, while the wallet secret is rotated (comma-separated). */
  WALLET_SIGNING_SECRETS_ACCEPTED: secretList(SECRET_MIN_LENGTH),
  /** How long an unpaid payment waits for the buyer before it expires. */
  PAYMENT_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  /** How long a payment may wait in REQUIRES_ACTION or PROCESSING before payments asks the wallet where it stands (a lost webhook). */
  PAYMENT_RECONCILE_AFTER_MS: wholeNumber(60_000, 100, 86_400_000),
  /** How often payments looks for payments to expire or reconcile. */
  PAYMENT_SWEEP_INTERVAL_MS: wholeNumber(5_000, 50, 3_600_000),
  /** The secret the gateway signs callers' identities with and the subgraphs verify; every process must share it. */
  SUBGRAPH_SIGNING_SECRET: z.string().min(SECRET_MIN_LENGTH).default(DEVELOPMENT_SIGNING_SECRET),
  /** More subgraph secrets accepted, never signed with, while the subgraph secret is rotated (comma-separated). */
  SUBGRAPH_SIGNING_SECRETS_ACCEPTED: secretList(SECRET_MIN_LENGTH),
  /** Local development only: subgraphs serve requests without the gateway's signature as anonymous. */
  ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: flag(false),
  NODE_ENV: z.string().optional(),
  /** Partner webhooks: the first retry's delay; each later one doubles, with full jitter, at most an hour. */
  PARTNER_WEBHOOKS_RETRY_BASE_MS: wholeNumber(30_000, 1, 3_600_000),
  /** Partner webhooks: how long after its event a delivery is retried before it is given up (FAILED); 3 days. */
  PARTNER_WEBHOOKS_GIVE_UP_AFTER_MS: wholeNumber(259_200_000, 1, 2_592_000_000),
  /** Partner webhooks: plain http endpoint URLs are accepted (development and tests only). */
  PARTNER_WEBHOOKS_ALLOW_INSECURE: flag(false),
  /** Partner webhooks: loopback, private, link-local and metadata addresses are accepted (development and tests only). */
  PARTNER_WEBHOOKS_ALLOW_PRIVATE: flag(false),
  /** Partner webhooks: how long one attempt may take, connection to the end of the answer. */
  PARTNER_WEBHOOKS_TIMEOUT_MS: wholeNumber(10_000, 1, 60_000),
  /** Partner webhooks: an endpoint whose deliveries were given up this many times in a row is disabled. */
  PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES: wholeNumber(20, 1, 1_000_000),
  /** Partner webhooks: how often the delivery worker looks for deliveries due. */
  PARTNER_WEBHOOKS_POLL_MS: wholeNumber(1000, 10, 3_600_000),
  /** How many demo merchants the merchants subgraph generates. */
  MERCHANT_COUNT: wholeNumber(5000, 0, 5_000_000),
});

export type ServiceConfig = z.infer<typeof serviceEnv> & {
  port(name: SubgraphName): number;
  peerUrl(name: SubgraphName): string;
  walletUrl: string;
  walletPublicUrl: string;
  paymentsWebhookUrl: string;
  /** The gateway's signing secret for the subgraphs that verify it; throws a ConfigError for the development default under NODE_ENV=production. */
  trust(): SubgraphTrust;
  /** WALLET_SIGNING_SECRET for the processes that use it (payments, the wallet); throws a ConfigError for the development default under NODE_ENV=production. */
  walletSecret(): string;
  /** WALLET_SIGNING_SECRETS_ACCEPTED, under the same rule: what payments and the wallet accept besides `walletSecret()`. */
  walletAcceptedSecrets(): readonly string[];
};

export function readServiceConfig(source: Record<string, string | undefined> = process.env): ServiceConfig {
  const env = readConfig(serviceEnv, source);
  const ports = { commerce: env.COMMERCE_PORT, payments: env.PAYMENTS_PORT, merchants: env.MERCHANTS_PORT };
  const urls = { commerce: env.COMMERCE_URL, payments: env.PAYMENTS_URL, merchants: env.MERCHANTS_URL };
  return {
    ...env,
    port: (name) => ports[name],
    peerUrl: (name) => urls[name] ?? `http://127.0.0.1:${ports[name]}/graphql`,
    walletUrl: env.WALLET_URL ?? `http://127.0.0.1:${env.WALLET_PORT}`,
    walletPublicUrl: env.WALLET_PUBLIC_URL ?? `http://localhost:${env.WALLET_PORT}`,
    paymentsWebhookUrl: env.PAYMENTS_WEBHOOK_URL ?? `http://127.0.0.1:${env.PAYMENTS_PORT}/webhooks/wallet`,
    // Read on demand: the wallet shares this configuration but never hears from the gateway.
    trust: () => readTrust(env),
    walletSecret: () => ownSecret('WALLET_SIGNING_SECRET', env.WALLET_SIGNING_SECRET, DEVELOPMENT_WALLET_SECRET, env.NODE_ENV),
    walletAcceptedSecrets: () => ownSecrets('WALLET_SIGNING_SECRETS_ACCEPTED', env.WALLET_SIGNING_SECRETS_ACCEPTED, DEVELOPMENT_WALLET_SECRET, env.NODE_ENV),
  };
}

/** The shared signing secret and those accepted besides it; production refuses the development default and the unsigned switch. */
export function readTrust(env: {
  SUBGRAPH_SIGNING_SECRET: string;
  SUBGRAPH_SIGNING_SECRETS_ACCEPTED?: readonly string[];
  ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: boolean;
  NODE_ENV?: string | undefined;
}): SubgraphTrust {
  const signingSecret = ownSecret('SUBGRAPH_SIGNING_SECRET', env.SUBGRAPH_SIGNING_SECRET, DEVELOPMENT_SIGNING_SECRET, env.NODE_ENV);
  const acceptedSecrets = ownSecrets('SUBGRAPH_SIGNING_SECRETS_ACCEPTED', env.SUBGRAPH_SIGNING_SECRETS_ACCEPTED ?? [], DEVELOPMENT_SIGNING_SECRET, env.NODE_ENV);
  if (env.NODE_ENV === 'production' && env.ALLOW_UNSIGNED_SUBGRAPH_REQUESTS) {
    throw new ConfigError('Invalid configuration: ALLOW_UNSIGNED_SUBGRAPH_REQUESTS is for local development and refused when NODE_ENV=production');
  }
  return { signingSecret, acceptedSecrets, allowUnsigned: env.ALLOW_UNSIGNED_SUBGRAPH_REQUESTS };
}
