// Merchant.payments and Platform.payments: newest first, keyset pages.
import { pageRequest, toPage } from '@interop/kit/server';
import { requireMerchantScope } from '@interop/kit/security';
import type { PaymentsContext } from '../context';
import { visiblePayments } from '../ownership';
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
  { ledger, caller }: PaymentsContext,
): Promise<PaymentConnectionRow> {
  if (filter.merchantId !== undefined) requireMerchantScope(caller, filter.merchantId);
  const page = pageRequest(args.first, args.after);
  // A partner lists its own payments; a merchant console, every payment to its merchants.
  const rows = await ledger.listPayments({ ...filter, ...visiblePayments(caller), status: args.status ?? undefined }, page);
  return toPage(rows, page, (row) => row.seq);
}
