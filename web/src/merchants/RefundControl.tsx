// Gives money back on one payment: all that is left by default, or less.
// The key follows the amount and reason, so a retry after a lost answer
// refunds once.
import { useState } from 'react';
import { request } from '../api/client';
import { ApiError } from '../api/errors';
import { useIdempotencyKey } from '../api/idempotency';
import { graphql } from '../gql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatFen, parseYuan } from '../ui/money';
import type { MerchantPayment } from './MerchantPayments';

const RefundPayment = graphql(`
  mutation RefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      status
      amount {
        formatted
      }
    }
  }
`);

const REASON = 'Refunded from the merchant view';

export function RefundControl({ payment, onRefunded }: { payment: MerchantPayment; onRefunded(): void }) {
  const left = payment.amount.amountMinor - payment.refundedAmount.amountMinor;
  const [open, setOpen] = useState(false);
  const [amountText, setAmountText] = useState((left / 100).toFixed(2));
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<{ error: unknown } | { message: string } | undefined>();
  const amountMinor = parseYuan(amountText);
  const idempotencyKey = useIdempotencyKey('demo-refund', JSON.stringify([payment.id, amountMinor, payment.refundedAmount.amountMinor]));

  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        Refund
      </button>
    );
  }
  const tooMuch = amountMinor !== undefined && amountMinor > left;
  const refund = async () => {
    if (amountMinor === undefined || tooMuch) return;
    setSending(true);
    setOutcome(undefined);
    try {
      const { refundPayment } = await request(RefundPayment, {
        input: { paymentId: payment.id, amount: { amountMinor, currency: payment.amount.currency }, reason: REASON, idempotencyKey },
      });
      // Null only with an error, which `request` has already thrown.
      if (!refundPayment) throw new ApiError('graphql', 'The graph sent no refund');
      setOutcome({
        message:
          refundPayment.status === 'PENDING'
            ? `Refund of ${refundPayment.amount.formatted} is on its way.`
            : refundPayment.status === 'FAILED'
              ? 'The wallet could not return the money; nothing was taken back.'
              : `Refunded ${refundPayment.amount.formatted}.`,
      });
      onRefunded();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      className="refund"
      onSubmit={(event) => {
        event.preventDefault();
        void refund();
      }}
    >
      <label>
        Refund (¥, up to {formatFen(left)})
        <input type="text" inputMode="decimal" value={amountText} onChange={(event) => setAmountText(event.target.value)} aria-invalid={amountMinor === undefined || tooMuch} />
      </label>
      {tooMuch && <span className="field-error">At most {formatFen(left)} is left to refund.</span>}
      <div className="refund-actions">
        <button type="submit" className="button button-primary" disabled={sending || amountMinor === undefined || tooMuch}>
          {sending ? 'Refunding…' : `Refund ${amountMinor === undefined ? '' : formatFen(amountMinor)}`}
        </button>
        <button type="button" className="button button-quiet" onClick={() => setOpen(false)} disabled={sending}>
          Cancel
        </button>
      </div>
      {outcome && 'message' in outcome && (
        <p role="status" className="success">
          {outcome.message}
        </p>
      )}
      {outcome && 'error' in outcome && <ErrorNotice title="The refund did not go through" error={outcome.error} />}
    </form>
  );
}
