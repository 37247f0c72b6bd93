import type { MerchantViewQuery } from '../gql/graphql';
import { PaymentStatusBadge } from '../payments/status-words';
import { Link } from '../router';
import { RefundControl } from './RefundControl';

export type MerchantPayment = NonNullable<NonNullable<MerchantViewQuery['merchant']>['payments']>['edges'][number]['node'];

const REFUNDABLE = new Set(['SUCCEEDED', 'PARTIALLY_REFUNDED']);

export function MerchantPayments({ payments, onRefunded }: { payments: readonly MerchantPayment[]; onRefunded(): void }) {
  if (payments.length === 0) return <p className="hint">No payments yet. Start one from the checkout.</p>;
  return (
    <ul className="payment-list">
      {payments.map((payment) => (
        <li key={payment.id} className="card payment-row" data-payment={payment.id}>
          <div className="payment-row-main">
            <Link to={`payments/${encodeURIComponent(payment.id)}`} className="payment-amount">
              {payment.amount.formatted}
            </Link>
            <PaymentStatusBadge status={payment.status} />
            <span className="muted">
              {payment.tool.name ?? payment.tool.id} on {payment.platform.name ?? payment.platform.id} · {new Date(payment.createdAt).toLocaleString()}
              {payment.refundedAmount.amountMinor > 0 && ` · refunded ${payment.refundedAmount.formatted}`}
            </span>
          </div>
          {REFUNDABLE.has(payment.status) && <RefundControl payment={payment} onRefunded={onRefunded} />}
        </li>
      ))}
    </ul>
  );
}
