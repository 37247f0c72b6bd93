// Per-request DataLoaders over the payments store and ledger.
import DataLoader from 'dataloader';
import type { PaymentLedger } from './store/ledger';
import type { PaymentsStore } from './store/payments-store';
import type { PaymentToolRow } from './store/types';

export function createLoaders(store: PaymentsStore, ledger: PaymentLedger) {
  const tool = new DataLoader((ids: readonly string[]) => store.toolsByIds(ids));
  let catalogue: Promise<PaymentToolRow[]> | undefined;
  return {
    tool,
    /** Every tool in the catalogue, by id: looked up once a request, however many checkouts it decides. */
    catalogue: () =>
      (catalogue ??= tool.loadMany(store.toolIds()).then((tools) =>
        tools.filter((found): found is PaymentToolRow => {
          if (found instanceof Error) throw found;
          return found !== null;
        }),
      )),
    interoperatingToolIds: new DataLoader((ids: readonly string[]) => store.interoperatingToolIds(ids)),
    payment: new DataLoader((ids: readonly string[]) => ledger.paymentsByIds(ids)),
    refundsByPayment: new DataLoader((ids: readonly string[]) => ledger.refundsByPaymentIds(ids)),
    eventsByPayment: new DataLoader((ids: readonly string[]) => ledger.eventsByPaymentIds(ids)),
  };
}

export type PaymentsLoaders = ReturnType<typeof createLoaders>;
