// The signature a partner's webhook receiver checks (docs/webhooks.md):
// `interop-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`, each hex an
// HMAC-SHA256 over `${t}.${rawBody}` keyed with one live endpoint secret (the
// whole `whsec_...` string). The SDK's verifyWebhook checks these bytes with
// its own code, since the SDK depends on nothing; a test there checks it
// accepts what this signs.
import { createHmac } from 'node:crypto';

export const PARTNER_WEBHOOK_SIGNATURE_HEADER = 'interop-signature';

/** The hex HMAC of one secret over `${t}.${body}`. */
export function partnerWebhookMac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

/** The header value signing `body` at `t` with every secret given, in order (the newest first during a rotation). */
export function signWebhookPayload(secrets: readonly string[], t: number, body: string): string {
  if (secrets.length === 0) throw new Error('A webhook is signed with at least one secret');
  if (!Number.isSafeInteger(t) || t < 0) throw new Error('A webhook timestamp is whole seconds since the epoch');
  return [`t=${t}`, ...secrets.map((secret) => `v1=${partnerWebhookMac(secret, t, body)}`)].join(',');
}
