// The payments subgraph's settings: the shared ones (kit `serviceEnv`) and its
// own: the sandbox wallet it calls, how long payments wait, and partner webhook
// delivery. Read once at start by main.ts.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { DEFAULT_PORTS, flag, port, readServiceConfig, rotatingSecret, serviceEnv, wholeNumber, z } from '@interop/kit';

const optionalUrl = z.url().optional();

/** The secret of the wallet's signed API calls and webhooks, shared with the wallet; set your own outside development. */
const walletSigning = rotatingSecret('WALLET_SIGNING_SECRET', DEVELOPMENT_WALLET_SECRET);

export const paymentsEnv = serviceEnv.extend({
  /** The wallet's port, for the default of WALLET_URL and WALLET_PUBLIC_URL. */
  WALLET_PORT: port(DEFAULT_PORTS.wallet),
  /** Where payments calls the sandbox wallet's API. */
  WALLET_URL: optionalUrl,
  /** The wallet's address as a buyer's browser reaches it, for `nextAction.url`. */
  WALLET_PUBLIC_URL: optionalUrl,
  /** Where the wallet sends payment webhooks (defaults to the payments subgraph's /webhooks/wallet). */
  PAYMENTS_WEBHOOK_URL: optionalUrl,
  ...walletSigning.fields,
  /** How long an unpaid payment waits for the buyer before it expires. */
  PAYMENT_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  /** How long a payment may wait in REQUIRES_ACTION or PROCESSING before payments asks the wallet where it stands (a lost webhook). */
  PAYMENT_RECONCILE_AFTER_MS: wholeNumber(60_000, 100, 86_400_000),
  /** At most this many merchants' checkout facts are held in memory (about 65 MiB of RSS per 100,000); a checkout at one not held asks merchants. 0 holds none of its peers' facts: every checkout asks commerce and merchants. */
  PEER_FACTS_MAX_MERCHANTS: wholeNumber(200_000, 0, 10_000_000),
  /** How often payments looks for payments to expire or reconcile. */
  PAYMENT_SWEEP_INTERVAL_MS: wholeNumber(5_000, 50, 3_600_000),
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
});

export function readPaymentsConfig(source: Record<string, string | undefined> = process.env) {
  const config = readServiceConfig(paymentsEnv, source);
  return {
    ...config,
    walletUrl: config.WALLET_URL ?? `http://127.0.0.1:${config.WALLET_PORT}`,
    walletPublicUrl: config.WALLET_PUBLIC_URL ?? `http://localhost:${config.WALLET_PORT}`,
    paymentsWebhookUrl: config.PAYMENTS_WEBHOOK_URL ?? `http://127.0.0.1:${config.PAYMENTS_PORT}/webhooks/wallet`,
    /** The wallet secret and those accepted besides it; throws a ConfigError for the development value under NODE_ENV=production. */
    walletSecrets: () => walletSigning.read(config),
  };
}
