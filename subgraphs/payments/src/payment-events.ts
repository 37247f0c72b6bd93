// Tells other processes about every committed status change of a payment, as
// a payment-event message on each bus given: this process's own (served on
// /events/payments to gateways that have no shared bus) and the shared one
// (Redis or PostgreSQL) when there is one. Publishing never holds up or fails
// the request that made the change. When a publish fails, the message is lost,
// so a resync message follows once the bus takes messages again: every
// follower then re-reads its payments instead of waiting for a change that
// will not be announced.
import type { Logger } from '@interop/kit';
import { announcer, type EventBus } from '@interop/kit/events';
import { encodePaymentEvent } from './payment-event-contract';
import type { PaymentLedger } from './store/ledger';

export function publishPaymentChanges(ledger: PaymentLedger, buses: readonly EventBus[], logger: Logger): () => void {
  const out = announcer(buses, { what: 'payment event', catchUp: () => encodePaymentEvent({ resync: true }), logger });
  const stop = ledger.onChange((change) => void out.announce(encodePaymentEvent(change), { paymentId: change.paymentId, status: change.status }));
  return () => {
    stop();
    out.stop();
  };
}
