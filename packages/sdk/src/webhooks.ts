// Webhook signature checks and event types. This is the package's Node-only
// entry, `@interop/sdk/webhooks`: webhooks reach servers, never browsers.
//
// Two formats, both `t=<unix seconds>,v1=<hex>` with an HMAC-SHA256:
// - partner webhooks, which the graph sends to a partner's endpoint:
//   `interop-signature`, the MAC over `${t}.${rawBody}` keyed with the
//   endpoint's `whsec_...` secret; while a secret is rotated the header
//   carries one `v1=` per live secret.
// - wallet webhooks, which a wallet sends to the payments subgraph:
//   `x-interop-signature`, the MAC over the label `interop/wallet-webhook/v1`,
//   the timestamp and the body, a newline between each. The label keeps any
//   other signature made with the same secret (the wallet's API calls) from
//   passing as a webhook.
// In both the timestamp must be within a tolerance of now (so a captured
// request cannot be replayed later), and every comparison is constant-time.
// Verify the raw body exactly as received, before parsing it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a partner webhook's signature comes in. */
export const WEBHOOK_SIGNATURE_HEADER = 'interop-signature';
/** The header naming a partner webhook's event id (also in the body). */
export const WEBHOOK_EVENT_ID_HEADER = 'interop-event-id';
/** The header naming a partner webhook's event type (also in the body). */
export const WEBHOOK_EVENT_TYPE_HEADER = 'interop-event-type';

/** The header a wallet webhook's signature comes in. */
export const WALLET_WEBHOOK_SIGNATURE_HEADER = 'x-interop-signature';
/** What a wallet webhook's signed text starts with, before the timestamp and the body. */
export const WALLET_WEBHOOK_SIGNING_LABEL = 'interop/wallet-webhook/v1';

/** How far a webhook's timestamp may be from now by default: five minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface WebhookCheckOptions {
  toleranceSeconds?: number;
  /** The current time in unix seconds; the clock by default. */
  nowSeconds?: number;
}

/** A signature header as Node's `req.headers[name]` gives it. */
export type SignatureHeaderValue = string | readonly string[] | null | undefined;

const HEX_MAC = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

interface ParsedHeader {
  timestamp: number;
  signatures: Buffer[];
}

/**
 * `t=<seconds>` once and one `v1=<64 hex>` or more, in any order, spaces
 * around parts ignored. Other schemes (`v0=`, a future `v2=`) are skipped so
 * a sender can add one without breaking receivers.
 */
function parsePartnerHeader(header: string): ParsedHeader | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    if (equals <= 0) return null;
    const name = trimmed.slice(0, equals);
    const value = trimmed.slice(equals + 1);
    if (name === 't') {
      if (timestamp !== null || !UNIX_SECONDS.test(value)) return null;
      timestamp = Number(value);
    } else if (name === 'v1') {
      if (!HEX_MAC.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

const headerText = (header: SignatureHeaderValue): string | undefined => (typeof header === 'string' ? header : header?.join(','));

const isStale = (timestamp: number, options: WebhookCheckOptions): boolean =>
  Math.abs((options.nowSeconds ?? Math.floor(Date.now() / 1000)) - timestamp) > (options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS);

const secretList = (secret: string | readonly string[]): readonly string[] => (typeof secret === 'string' ? [secret] : secret);

/**
 * Checks a partner webhook: the `interop-signature` header of a delivery to
 * your endpoint, against the endpoint's secret. While a secret is rotated,
 * pass both (`[newSecret, oldSecret]`): the delivery verifies when any `v1`
 * of the header matches any of them.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  rawBody: string,
  signatureHeader: SignatureHeaderValue,
  options: WebhookCheckOptions = {},
): WebhookCheck {
  const header = headerText(signatureHeader);
  if (!header) return { ok: false, reason: 'missing' };
  const parsed = parsePartnerHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed' };
  if (isStale(parsed.timestamp, options)) return { ok: false, reason: 'stale' };
  // Every pair is compared, so the time taken says nothing about which matched.
  let matched = false;
  for (const each of secretList(secret)) {
    const expected = createHmac('sha256', each).update(`${parsed.timestamp}.${rawBody}`).digest();
    for (const given of parsed.signatures) matched = timingSafeEqual(expected, given) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Checks a wallet webhook (`x-interop-signature`), as the payments subgraph
 * does for the sandbox wallet's events. `secret` may be a list while the
 * shared secret is rotated: the webhook is accepted when it was signed with
 * any of them.
 */
export function verifyWalletWebhook(
  secret: string | readonly string[],
  rawBody: string,
  signatureHeader: SignatureHeaderValue,
  options: WebhookCheckOptions = {},
): WebhookCheck {
  const header = headerText(signatureHeader);
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map<string, string | undefined>();
  for (const part of header.split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    parts.set(name, value);
  }
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !signature || !HEX_MAC.test(signature)) return { ok: false, reason: 'malformed' };
  if (isStale(timestamp, options)) return { ok: false, reason: 'stale' };
  const given = Buffer.from(signature, 'hex');
  let matched = false;
  for (const each of secretList(secret)) {
    const expected = createHmac('sha256', each).update(`${WALLET_WEBHOOK_SIGNING_LABEL}\n${timestamp}\n${rawBody}`).digest();
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** A wallet event, as its JSON body carries it. */
export interface WalletWebhookEvent {
  /** Unique per event; a repeated delivery carries the same id. */
  eventId: string;
  type: 'payment.processing' | 'payment.succeeded' | 'payment.failed';
  paymentId: string;
  amountMinor: number;
  currency: string;
  /** When the wallet made the decision (ISO 8601). */
  occurredAt: string;
}

/** Every partner webhook event type, as the wire names it. */
export const WEBHOOK_EVENT_TYPES = [
  'payment.created',
  'payment.requires_action',
  'payment.processing',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'payment.expired',
  'refund.succeeded',
  'refund.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type PaymentWebhookEventType = Extract<WebhookEventType, `payment.${string}`>;
export type RefundWebhookEventType = Extract<WebhookEventType, `refund.${string}`>;

/** An amount in minor units (fen for CNY). */
export interface WebhookMoney {
  amountMinor: number;
  currency: string;
}

export interface WebhookRefund {
  id: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  amount: WebhookMoney;
  reason: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/** The payment as `payment(id)` gives it to the partner, at the event's version. */
export interface WebhookPayment {
  id: string;
  status: 'REQUIRES_ACTION' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'EXPIRED';
  amount: WebhookMoney;
  refundedAmount: WebhookMoney;
  platformId: string;
  merchantId: string;
  paymentToolId: string;
  channel: 'APP' | 'MINI_PROGRAM' | 'WEB' | 'H5' | null;
  reference: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  refunds: WebhookRefund[];
}

interface WebhookEventBase<T extends WebhookEventType> {
  /** `evt_...`, the same in every delivery of the event: apply each id once. */
  id: string;
  type: T;
  /** When the change happened (ISO 8601). */
  createdAt: string;
  /** The payment's version after the change; a payment's events are sent in this order. */
  paymentVersion: number;
}

export interface PaymentWebhookEvent<T extends PaymentWebhookEventType = PaymentWebhookEventType> extends WebhookEventBase<T> {
  data: { payment: WebhookPayment };
}

export interface RefundWebhookEvent<T extends RefundWebhookEventType = RefundWebhookEventType> extends WebhookEventBase<T> {
  data: { payment: WebhookPayment; refund: WebhookRefund };
}

/** What a partner's endpoint receives, discriminated by `type`. */
export type PartnerWebhookEvent =
  | { [T in PaymentWebhookEventType]: PaymentWebhookEvent<T> }[PaymentWebhookEventType]
  | { [T in RefundWebhookEventType]: RefundWebhookEvent<T> }[RefundWebhookEventType];

/** A body that is not a partner webhook event: not JSON, or without the fields every event has. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isEventType = (value: unknown): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);

/**
 * The event a verified body carries. Call it after `verifyWebhook`, on the
 * same raw body. Throws `WebhookPayloadError` when the body is not an event
 * (not JSON, a type this SDK does not know, or a field every event has
 * missing); an endpoint is only sent the types it subscribed to.
 */
export function parseWebhookEvent(rawBody: string): PartnerWebhookEvent {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookPayloadError('The webhook body is not JSON.');
  }
  if (!isRecord(body)) throw new WebhookPayloadError('The webhook body is not an object.');
  const { id, type, createdAt, paymentVersion, data } = body;
  if (typeof id !== 'string' || typeof createdAt !== 'string' || !Number.isSafeInteger(paymentVersion)) throw new WebhookPayloadError('The webhook body lacks an event id, time or payment version.');
  if (!isEventType(type)) throw new WebhookPayloadError(`Unknown webhook event type: ${String(type)}.`);
  if (!isRecord(data) || !isRecord(data.payment) || typeof data.payment.id !== 'string') throw new WebhookPayloadError('The webhook body lacks its payment.');
  if (type.startsWith('refund.') && (!isRecord(data.refund) || typeof data.refund.id !== 'string')) throw new WebhookPayloadError('A refund event lacks its refund.');
  return body as unknown as PartnerWebhookEvent;
}
