// A new payment's writes, rehearsed when payments starts, each time in a
// transaction that is then rolled back. The first payments after a start
// otherwise pay for what happens once per process: each statement prepared,
// the database's caches of the tables and indexes it writes filled, and, on
// PGlite, the WebAssembly of its write paths compiled on first use and
// optimised once it has run often. Nothing of the rehearsals is kept but that,
// the sequence numbers they drew and, until PostgreSQL prunes or vacuums
// them, the rows they rolled back.
import { randomBytes } from 'node:crypto';
import type { Logger } from '@interop/kit';
import type { Queryable } from '@interop/kit/db';
import { newId } from '../ids';
import type { PaymentLedger } from './ledger';
import type { WebhookStore } from './webhook-store';

/** Thrown to roll the rehearsal back; never leaves this module. */
class RehearsalDone extends Error {}

/** How often, and for how long at most, a start rehearses. */
export interface Rehearsals {
  /**
   * One rehearsal prepares the statements; V8 compiles PGlite's WebAssembly
   * and our JavaScript for speed only once they have run many times. After
   * 50 (0.7 s on a 2-core machine) the first 60 payments cost payments 8.8
   * ms each instead of 11; 200 bought another millisecond for 0.6 s more.
   */
  times: number;
  /** A slow machine stops early rather than hold the start up. */
  withinMs: number;
}

export const DEFAULT_REHEARSALS: Rehearsals = { times: 50, withinMs: 1000 };

/**
 * Writes what `initiatePayment` writes (the payment, its events, a delivery to
 * an endpoint of a partner made up for it, each delivery's attempt and the
 * wallet's registration), with the statements the requests use, and rolls it
 * all back, `times` over or until `withinMs` have passed. A rehearsal that
 * fails is logged, ends the rehearsals and is otherwise ignored: they only
 * make the first requests cheaper.
 */
export async function rehearseNewPayments(
  ledger: PaymentLedger,
  webhooks: WebhookStore,
  logger: Pick<Logger, 'warn'>,
  { times, withinMs }: Rehearsals = DEFAULT_REHEARSALS,
): Promise<void> {
  const until = performance.now() + withinMs;
  for (let done = 0; done < times && (done === 0 || performance.now() < until); done += 1) {
    try {
      await ledger.transaction(async (tx) => {
        await writeOnePayment(tx, ledger, webhooks);
        throw new RehearsalDone();
      });
    } catch (error) {
      if (error instanceof RehearsalDone) continue;
      logger.warn({ err: error }, 'the rehearsal of a new payment\'s writes failed; the first payments pay for what it would have warmed');
      return;
    }
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
