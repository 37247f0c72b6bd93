import type { PaymentSnapshot } from './watch';
import { PAYMENT_STATUS_WORDS } from './status-words';

/** The payment's audit trail, oldest first. */
export function PaymentEvents({ events }: { events: PaymentSnapshot['events'] }) {
  return (
    <details className="events" open>
      <summary>What happened ({events.length})</summary>
      <ol>
        {events.map((event, index) => (
          <li key={index}>
            <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time>{' '}
            {event.fromStatus ? `${PAYMENT_STATUS_WORDS[event.fromStatus].label} → ` : ''}
            <strong>{PAYMENT_STATUS_WORDS[event.toStatus].label}</strong> <span className="muted">({causeWords(event.cause)})</span>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** The graph's cause ("wallet payment.succeeded evt_…", "refund ref_…") in a few words; anything else as it is. */
function causeWords(cause: string): string {
  if (cause === 'initiatePayment') return 'payment started';
  if (cause === 'cancelPayment') return 'canceled by the shop';
  if (cause === 'expiry') return 'not approved in time';
  if (cause.startsWith('wallet ')) return 'reported by the wallet';
  if (cause.startsWith('refund ')) return 'refund by the merchant';
  return cause;
}
