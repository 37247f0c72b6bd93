import type { PaymentStatus } from '../gql/graphql';

export const PAYMENT_STATUS_WORDS: Readonly<Record<PaymentStatus, { label: string; meaning: string; tone: 'wait' | 'good' | 'bad' | 'neutral' }>> = {
  REQUIRES_ACTION: { label: 'Waiting for the buyer', meaning: 'Approve or decline it in the sandbox wallet.', tone: 'wait' },
  PROCESSING: { label: 'Processing', meaning: 'The wallet approved it; the money is on its way.', tone: 'wait' },
  SUCCEEDED: { label: 'Paid', meaning: 'The merchant has the money.', tone: 'good' },
  FAILED: { label: 'Failed', meaning: 'The buyer declined, or the wallet could not take the money. Nothing was charged.', tone: 'bad' },
  CANCELED: { label: 'Canceled', meaning: 'Canceled before the buyer paid. Nothing was charged.', tone: 'neutral' },
  EXPIRED: { label: 'Expired', meaning: 'The buyer did not approve it in time. Nothing was charged.', tone: 'neutral' },
  PARTIALLY_REFUNDED: { label: 'Partly refunded', meaning: 'The merchant gave part of the money back.', tone: 'neutral' },
  REFUNDED: { label: 'Refunded', meaning: 'The merchant gave all the money back.', tone: 'neutral' },
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  const words = PAYMENT_STATUS_WORDS[status];
  return (
    <span className={`badge tone-${words.tone}`} data-status={status}>
      {words.label}
    </span>
  );
}
