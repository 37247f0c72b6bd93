// Merchant.payments and Platform.payments: newest first, keyset pages.
import { pageRequest, toPage } from '@interop/kit';
import type { PaymentsContext } from '../context';
import type { PaymentListFilter } from '../store/ledger';
import type { PaymentConnectionRow, PaymentStatus } from '../store/types';

export interface PaymentPageArgs {
  status?: PaymentStatus | null;
  first?: number | null;
  after?: string | null;
}

export async function paymentPage(
  filter: Omit<PaymentListFilter, 'status'>,
  args: PaymentPageArgs,
  { ledger }: PaymentsContext,
): Promise<PaymentConnectionRow> {
  const page = pageRequest(args.first, args.after);
  const rows = await ledger.listPayments({ ...filter, status: args.status ?? undefined }, page);
  return toPage(rows, page, (row) => row.seq);
}
