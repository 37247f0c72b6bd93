// What every payments resolver receives: the stores, the peers it asks for
// facts, the payment rules, and this request's loaders.
import { createLoaders, type PaymentsLoaders } from './loaders';
import type { PaymentService } from './payment-service';
import type { PeerFacts } from './peers';
import type { PaymentLedger } from './store/ledger';
import type { PaymentsStore } from './store/payments-store';

export interface PaymentsDeps {
  store: PaymentsStore;
  ledger: PaymentLedger;
  peers: PeerFacts;
  payments: PaymentService;
}

export interface PaymentsContext extends PaymentsDeps {
  loaders: PaymentsLoaders;
}

export function createContext(deps: PaymentsDeps): PaymentsContext {
  return { ...deps, loaders: createLoaders(deps.store, deps.ledger) };
}
