// Checks a webhook's `x-interop-signature` header the way the graph's
// receivers do: `t=<unix seconds>,v1=<hex>`, the hex being the HMAC-SHA256
// of `interop/wallet-webhook/v1`, the timestamp and the raw body, a newline
// between each, under the shared signing secret. The label keeps any other
// signature made with the same secret (the wallet's API calls) from passing
// as a webhook. The timestamp must be within a tolerance of now (so a captured
// request cannot be replayed later); the comparison is constant-time. Verify
// the raw body exactly as received, before parsing it. This is the package's
// Node-only entry, `@interop/sdk/webhooks`: webhooks reach servers, never browsers.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'x-interop-signature';

/** What a webhook's signed text starts with, before the timestamp and the body. */
export const WEBHOOK_SIGNING_LABEL = 'interop/wallet-webhook/v1';

/** How far a webhook's timestamp may be from now by default: five minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface WebhookCheckOptions {
  toleranceSeconds?: number;
  /** The current time in unix seconds; the clock by default. */
  nowSeconds?: number;
}

/** A wallet event, as its JSON body carries it. */
export interface WebhookEvent {
  /** Unique per event; a repeated delivery carries the same id. */
  eventId: string;
  type: 'payment.processing' | 'payment.succeeded' | 'payment.failed';
  paymentId: string;
  amountMinor: number;
  currency: string;
  /** When the wallet made the decision (ISO 8601). */
  occurredAt: string;
}

/**
 * `secret` may be a list while the shared secret is rotated: the webhook is
 * accepted when it was signed with any of them.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  rawBody: string,
  signatureHeader: string | null | undefined,
  options: WebhookCheckOptions = {},
): WebhookCheck {
  if (!signatureHeader) return { ok: false, reason: 'missing' };
  const parts = new Map<string, string | undefined>();
  for (const part of signatureHeader.split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    parts.set(name, value);
  }
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const given = Buffer.from(signature, 'hex');
  // Every secret is tried, so the time taken says nothing about which matched.
  let matched = false;
  for (const each of typeof secret === 'string' ? [secret] : secret) {
    const expected = createHmac('sha256', each).update(`${WEBHOOK_SIGNING_LABEL}\n${timestamp}\n${rawBody}`).digest();
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
