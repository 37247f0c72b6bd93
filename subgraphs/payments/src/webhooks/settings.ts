// How partner webhooks are delivered: the PARTNER_WEBHOOKS_* settings
// (../config.ts), with the defaults the contract names.
export interface WebhookSettings {
  /** The first retry's delay; each later one doubles (full jitter), at most `maxRetryDelayMs`. */
  retryBaseMs: number;
  /** The longest wait between two attempts. */
  maxRetryDelayMs: number;
  /** How long after a delivery was created it is retried before it is given up (FAILED). */
  giveUpAfterMs: number;
  /** Plain http URLs are accepted. */
  allowInsecure: boolean;
  /** Loopback, private, link-local and metadata addresses are accepted. */
  allowPrivate: boolean;
  /** One attempt's limit, connection to the end of the answer. */
  timeoutMs: number;
  /** Given-up deliveries in a row after which an endpoint is disabled. */
  disableAfterFailures: number;
  /** How often the worker looks for deliveries due. */
  pollMs: number;
  /** Attempts in flight at once in one process. */
  concurrency: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retryBaseMs: 30_000,
  maxRetryDelayMs: 3_600_000,
  giveUpAfterMs: 259_200_000,
  allowInsecure: false,
  allowPrivate: false,
  timeoutMs: 10_000,
  disableAfterFailures: 20,
  pollMs: 1000,
  concurrency: 16,
};

export function webhookSettings(given: Partial<WebhookSettings> = {}): WebhookSettings {
  return { ...DEFAULT_WEBHOOK_SETTINGS, ...given };
}

/** The settings in the environment's configuration (readPaymentsConfig). */
export function webhookSettingsFromConfig(config: {
  PARTNER_WEBHOOKS_RETRY_BASE_MS: number;
  PARTNER_WEBHOOKS_GIVE_UP_AFTER_MS: number;
  PARTNER_WEBHOOKS_ALLOW_INSECURE: boolean;
  PARTNER_WEBHOOKS_ALLOW_PRIVATE: boolean;
  PARTNER_WEBHOOKS_TIMEOUT_MS: number;
  PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES: number;
  PARTNER_WEBHOOKS_POLL_MS: number;
}): WebhookSettings {
  return webhookSettings({
    retryBaseMs: config.PARTNER_WEBHOOKS_RETRY_BASE_MS,
    giveUpAfterMs: config.PARTNER_WEBHOOKS_GIVE_UP_AFTER_MS,
    allowInsecure: config.PARTNER_WEBHOOKS_ALLOW_INSECURE,
    allowPrivate: config.PARTNER_WEBHOOKS_ALLOW_PRIVATE,
    timeoutMs: config.PARTNER_WEBHOOKS_TIMEOUT_MS,
    disableAfterFailures: config.PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES,
    pollMs: config.PARTNER_WEBHOOKS_POLL_MS,
  });
}
