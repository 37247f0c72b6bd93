// One payment as the buyer follows it: what it is, where it stands, what to
// do next (the wallet's page, or its QR code), and every change so far.
import { describeError } from '../api/errors';
import { Link } from '../router';
import { Loading } from '../ui/Loading';
import { usePageTitle } from '../ui/usePageTitle';
import { NextActionPanel } from './NextActionPanel';
import { PaymentEvents } from './PaymentEvents';
import { PAYMENT_STATUS_WORDS, PaymentStatusBadge } from './status-words';
import { usePayment } from './usePayment';
import { isWaiting } from './watch';
import { WatchModeNote } from './WatchModeNote';

export function PaymentPage({ id }: { id: string }) {
  usePageTitle('Payment');
  const { payment, error, mode } = usePayment(id);
  if (payment === undefined) {
    return error ? (
      <div className="notice notice-error" role="alert">
        <strong>The payment could not be loaded yet</strong>
        <p>{describeError(error)} This page keeps trying.</p>
      </div>
    ) : (
      <Loading what="the payment" />
    );
  }
  if (payment === null) return <p className="hint">The graph has no payment with id {id}.</p>;
  const words = PAYMENT_STATUS_WORDS[payment.status];
  return (
    <section aria-labelledby="payment-title" className="payment">
      <h1 id="payment-title">
        {payment.amount.formatted} to {payment.merchant.name ?? payment.merchant.id}
      </h1>
      <p className="muted">
        {payment.tool.name ?? payment.tool.id} on {payment.platform.name ?? payment.platform.id} · reference {payment.reference} · {payment.id}
      </p>
      <div className="card payment-status" aria-live="polite">
        <PaymentStatusBadge status={payment.status} />
        <p>{words.meaning}</p>
        {error !== undefined && <p className="field-error">Lost touch with the graph for a moment ({describeError(error)}); still trying.</p>}
        {isWaiting(payment.status) && <WatchModeNote mode={mode} />}
      </div>
      {payment.status === 'REQUIRES_ACTION' && payment.nextAction && (
        <NextActionPanel action={payment.nextAction} toolName={payment.tool.name ?? payment.tool.id} />
      )}
      {!isWaiting(payment.status) && (
        <p>
          Refunds are the merchant’s to give:{' '}
          <Link to={`merchants/${encodeURIComponent(payment.merchant.id)}`}>open {payment.merchant.name ?? payment.merchant.id}’s payments</Link>.
        </p>
      )}
      <PaymentEvents events={payment.events} />
    </section>
  );
}
