// The signature on a partner webhook, as the graph sends it and the SDK's
// `verifyWebhook` checks it: `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, each
// hex the HMAC-SHA256 of `${t}.${body}` under one of the endpoint's live
// secrets (the whole `whsec_...` string), the newest first. Unlike the
// product's own signatures (signature.ts) there is no context label: the
// secret belongs to one endpoint and signs nothing else, and the format is
// the one partners know from other payment APIs.
import { createHmac, randomBytes } from 'node:crypto';

/** The header a partner webhook's signature is sent in. */
export const PARTNER_WEBHOOK_SIGNATURE_HEADER = 'interop-signature';

/** What a partner webhook secret starts with. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export const newWebhookSecret = (): string => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

/**
 * The `interop-signature` header for `body` sent at `timestampSeconds`, one
 * `v1=` per secret in the order given (the newest first during a rotation).
 */
export function signWebhookPayload(secrets: string | readonly string[], timestampSeconds: number, body: string): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new Error('A webhook is signed with at least one secret.');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new Error('A webhook timestamp is whole unix seconds.');
  const macs = list.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...macs].join(',');
}
