// The HMAC-SHA256 signatures the product's processes exchange, in one place.
// Every kind of message is signed under its own context label, so a signature
// made for one kind (a wallet API call, a wallet webhook, an event-stream
// request, a gateway seal, a wallet form token) never verifies as another,
// even where two kinds share a secret. A request's signature covers its
// method and path as well as its body, so it cannot be moved to another
// endpoint or resource. Signed requests and webhooks carry
// `t=<unix seconds>,v1=<hex>` in one header; the timestamp bounds replays and
// comparison is constant-time. A process signs with one secret and may accept
// several, so a shared secret can be rotated while the processes that share
// it restart one by one.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SIGNATURE_HEADER = 'x-interop-signature';

/** How far a signed request's timestamp may be from now. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The kinds of signed message; each is its own signing context. */
export type SigningContext = 'wallet-api' | 'wallet-webhook' | 'event-stream' | 'subgraph-identity' | 'wallet-form';

/** The label a context's MACs start with, e.g. `interop/wallet-webhook/v1`. */
export const signingLabel = (context: SigningContext): string => `interop/${context}/v1`;

/**
 * HMAC-SHA256 (hex) of the context's label and `fields`, one per line. Only
 * the last field may contain a newline (a body), so the text is unambiguous.
 */
export function contextMac(secret: string, context: SigningContext, fields: readonly string[]): string {
  return createHmac('sha256', secret).update([signingLabel(context), ...fields].join('\n')).digest('hex');
}

/** Constant-time comparison of two hex MACs; false for anything that is not 64 lower-case hex digits. */
export function sameMac(expected: string, given: string): boolean {
  return /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

/**
 * The secrets a receiver accepts: the one its process signs with, then any it
 * also accepts while a rotation is under way. A single string is that one.
 */
export type AcceptedSecrets = string | readonly string[];

/** The secret a process signs with followed by the others it accepts, as a verifier takes them. */
export const everyAcceptedSecret = (signingSecret: string, alsoAccepted: readonly string[] = []): readonly string[] => [signingSecret, ...alsoAccepted];

/**
 * Whether `given` is the MAC `macOf` computes under one of `secrets`. Every
 * secret is tried, each compared in constant time, so how long it takes says
 * nothing about which one matched or how close another came.
 */
export function matchesAnySecret(secrets: AcceptedSecrets, given: string, macOf: (secret: string) => string): boolean {
  let matched = false;
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) matched = sameMac(macOf(secret), given) || matched;
  return matched;
}

/** A request to an API: its method and path (with any query) are signed with the body. */
export interface SignedRequest {
  context: 'wallet-api' | 'event-stream';
  method: string;
  /** The request target as the receiver routes it, e.g. `/v1/refunds/ref_1`. */
  path: string;
  body: string;
}

/**
 * A webhook: its body, which names what happened. The receiver's own path is
 * not signed, since proxies and relays in front of a receiver rewrite it.
 */
export interface SignedWebhook {
  context: 'wallet-webhook';
  body: string;
}

export type SignedMessage = SignedRequest | SignedWebhook;

function fields(message: SignedMessage, timestamp: number): string[] {
  return message.context === 'wallet-webhook'
    ? [String(timestamp), message.body]
    : [String(timestamp), message.method.toUpperCase(), message.path, message.body];
}

export function signatureHeader(secret: string, message: SignedMessage, nowSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${nowSeconds},v1=${contextMac(secret, message.context, fields(message, nowSeconds))}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** Checks a signature made with any of `secrets` (see `AcceptedSecrets`). */
export function verifySignature(
  secrets: AcceptedSecrets,
  message: SignedMessage,
  header: string | undefined,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const signed = fields(message, timestamp);
  return matchesAnySecret(secrets, signature, (secret) => contextMac(secret, message.context, signed)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The signature header an incoming request carries (the first, if repeated). */
export function signatureOf(req: IncomingMessage): string | undefined {
  const header = req.headers[SIGNATURE_HEADER];
  return Array.isArray(header) ? header[0] : header;
}

/** Checks an incoming API request's signature over its own method, target and `body`. */
export function verifyRequest(secrets: AcceptedSecrets, context: SignedRequest['context'], req: IncomingMessage, body: string): SignatureCheck {
  return verifySignature(secrets, { context, method: req.method ?? 'GET', path: req.url ?? '/', body }, signatureOf(req));
}
