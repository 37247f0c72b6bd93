// A new payment's writes, rehearsed once when payments starts, in a
// transaction that is then rolled back. The first payments after a start
// otherwise pay for what happens once per process: each statement prepared,
// the database's caches of the tables and indexes it writes filled, and, on
// PGlite, the WebAssembly of its write paths compiled on first use. Nothing
// of the rehearsal is kept but that (and the sequence numbers it drew).
import { randomBytes } from 'node:crypto';
import type { Logger } from '@interop/kit';
import type { Queryable } from '@interop/kit/db';
import { newId } from '../ids';
import type { PaymentLedger } from './ledger';
import type { WebhookStore } from './webhook-store';

/** Thrown to roll the rehearsal back; never leaves this module. */
class RehearsalDone extends Error {}

/**
 * Writes what `initiatePayment` writes (the payment, its events, a delivery to
 * an endpoint of a partner made up for it, each delivery's attempt and the
 * wallet's registration), with the statements the requests use, and rolls it
 * all back. A rehearsal that fails is logged and otherwise ignored: it only
 * makes the first requests cheaper.
 */
export async function rehearseNewPayment(ledger: PaymentLedger, webhooks: WebhookStore, logger: Pick<Logger, 'warn'>): Promise<void> {
  try {
    await ledger.transaction(async (tx) => {
      await writeOnePayment(tx, ledger, webhooks);
      throw new RehearsalDone();
    });
  } catch (error) {
    if (!(error instanceof RehearsalDone)) logger.warn({ err: error }, 'the rehearsal of a new payment\'s writes failed; the first payments pay for what it would have warmed');
  }
}

async function writeOnePayment(tx: Queryable, ledger: PaymentLedger, webhooks: WebhookStore): Promise<void> {
  const partnerId = newId('rehearsal');
  await webhooks.insertEndpoint(
    {
      id: newId('we'),
      partnerId,
      merchantId: null,
      merchantConsole: false,
      url: 'https://rehearsal.invalid/webhooks',
      description: null,
      events: ['payment.created', 'payment.requires_action'],
      secret: randomBytes(16).toString('hex'),
    },
    tx,
  );
  const payment = await ledger.insertPayment(
    {
      id: newId('pay'),
      platformId: 'rehearsal',
      merchantId: 'rehearsal',
      toolId: 'rehearsal',
      amountMinor: 1,
      currency: 'CNY',
      reference: 'rehearsal',
      nextActionType: 'REDIRECT',
      nextActionUrl: 'https://rehearsal.invalid/pay',
      nextActionQr: null,
      channel: null,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      idempotencyKey: newId('key'),
      requestHash: 'rehearsal',
      partnerId,
    },
    'rehearsal',
    tx,
  );
  if (!payment) throw new Error('the rehearsal payment was not inserted');
  // Delivered in turn, recorded together, as the worker records a new payment's deliveries.
  const deliveries = await tx.query<{ id: string }>('SELECT id FROM webhook_delivery WHERE payment_id = $1 ORDER BY payment_version', [payment.id]);
  const at = new Date();
  await webhooks.recordDelivered(
    deliveries.map(({ id }) => ({ deliveryId: id, at, statusCode: 200, durationMs: 1, responseExcerpt: null })),
    [],
    tx,
  );
  await ledger.markRegistered([payment.id], tx);
}
