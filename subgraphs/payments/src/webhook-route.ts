// POST /webhooks/wallet: the wallet's signed notifications. A bad or stale
// signature, a malformed body, an unknown payment or a wrong amount is
// refused and changes nothing; a repeated event is acknowledged and changes
// nothing. 4xx answers tell the wallet not to retry; only 5xx and silence do.
import { z, type Logger } from '@interop/kit';
import { hasNul, readRawBody, sendJson, type Route } from '@interop/kit/server';
import { signatureOf, verifySignature, type AcceptedSecrets } from '@interop/kit/security';
import type { PaymentService, WalletEvent } from './payment-service';

const MAX_WEBHOOK_BYTES = 64 * 1024;

// Ids are looked up and stored as text, which cannot hold NUL.
const id = z.string().min(1).max(200).refine((text) => !hasNul(text));

const walletEvent = z.object({
  eventId: id,
  type: z.enum(['payment.processing', 'payment.succeeded', 'payment.failed']),
  paymentId: id,
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
});

const STATUS_BY_OUTCOME = { applied: 200, duplicate: 200, unchanged: 200, 'unknown-payment': 404, mismatch: 422 } as const;

/** `secrets`: the wallet secret and any accepted besides it while it is rotated. */
export function walletWebhookRoute(payments: PaymentService, secrets: AcceptedSecrets, logger: Logger): Route {
  return async (req, res) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const raw = await readRawBody(req, MAX_WEBHOOK_BYTES);
    const signature = verifySignature(secrets, { context: 'wallet-webhook', body: raw }, signatureOf(req));
    if (!signature.ok) {
      logger.warn({ reason: signature.reason }, 'wallet webhook refused: signature');
      return sendJson(res, 401, { error: 'invalid signature', reason: signature.reason });
    }
    let event: WalletEvent;
    try {
      event = walletEvent.parse(JSON.parse(raw));
    } catch {
      return sendJson(res, 400, { error: 'malformed event' });
    }
    const outcome = await payments.applyWalletEvent(event);
    logger.info({ eventId: event.eventId, paymentId: event.paymentId, type: event.type, outcome }, 'wallet webhook');
    return sendJson(res, STATUS_BY_OUTCOME[outcome], { received: true, outcome });
  };
}
