// The token the buyer's approve and decline forms carry: an HMAC of the
// payment id under the wallet's secret, in its own signing context. Another
// site can make a buyer's browser post to the wallet but cannot read the page
// that holds the token, so it cannot decide a payment for the buyer; a token
// for one payment is void for another. Derived rather than stored, so it holds
// for as long as the order does, whatever keeps the orders.
import { contextMac, matchesAnySecret, type AcceptedSecrets } from '@interop/kit/security';

/** The form field (and JSON property) that carries the token. */
export const FORM_TOKEN_FIELD = 'csrfToken';

export const formToken = (secret: string, paymentId: string): string => contextMac(secret, 'wallet-form', [paymentId]);

/** Whether `given` is the payment's token under any of `secrets` (the wallet's, and any accepted besides it while it is rotated). */
export function validFormToken(secrets: AcceptedSecrets, paymentId: string, given: string | null | undefined): boolean {
  return typeof given === 'string' && matchesAnySecret(secrets, given, (secret) => formToken(secret, paymentId));
}
