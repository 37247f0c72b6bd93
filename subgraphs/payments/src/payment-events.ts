// Tells other processes about every committed status change of a payment, as
// a payment-event message on each bus given: this process's own (served on
// /events/payments to gateways that have no shared bus) and the shared one
// (Redis or PostgreSQL) when there is one. Publishing never holds up or fails
// the request that made the change. When a publish fails, the message is lost,
// so a resync message follows once the bus takes messages again: every
// follower then re-reads its payments instead of waiting for a change that
// will not be announced.
import { Backoff, encodePaymentEvent, type EventBus, type Logger } from '@interop/kit';
import type { PaymentLedger } from './store/ledger';

export const PAYMENT_EVENTS_PATH = '/events/payments';

export function publishPaymentChanges(ledger: PaymentLedger, buses: readonly EventBus[], logger: Logger): () => void {
  const resyncs = buses.map((bus) => resyncAfterLoss(bus, logger));
  const stop = ledger.onChange((change) => {
    const message = encodePaymentEvent(change);
    buses.forEach((bus, index) => {
      bus.publish(message).catch((error: unknown) => {
        logger.error({ err: error, paymentId: change.paymentId, status: change.status }, 'payment event not published');
        resyncs[index]?.lost();
      });
    });
  });
  return () => {
    stop();
    for (const resync of resyncs) resync.stop();
  };
}

/** Publishes one resync message after messages were lost, retrying with back-off until the bus takes it. */
function resyncAfterLoss(bus: EventBus, logger: Logger): { lost(): void; stop(): void } {
  const backoff = new Backoff(500, 30_000);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = () => {
    timer = undefined;
    bus.publish(encodePaymentEvent({ resync: true })).then(
      () => {
        backoff.reset();
        logger.info('payment events resynced after a loss');
      },
      () => schedule(),
    );
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(attempt, backoff.next());
    timer.unref();
  };
  return {
    lost: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
