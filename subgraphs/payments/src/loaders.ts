// Per-request DataLoaders over the payments store and ledger.
import DataLoader from 'dataloader';
import type { PaymentLedger } from './store/ledger';
import type { PaymentsStore } from './store/payments-store';

export function createLoaders(store: PaymentsStore, ledger: PaymentLedger) {
  return {
    tool: new DataLoader((ids: readonly string[]) => store.toolsByIds(ids)),
    interoperatingToolIds: new DataLoader((ids: readonly string[]) => store.interoperatingToolIds(ids)),
    payment: new DataLoader((ids: readonly string[]) => ledger.paymentsByIds(ids)),
    refundsByPayment: new DataLoader((ids: readonly string[]) => ledger.refundsByPaymentIds(ids)),
    eventsByPayment: new DataLoader((ids: readonly string[]) => ledger.eventsByPaymentIds(ids)),
  };
}

export type PaymentsLoaders = ReturnType<typeof createLoaders>;
