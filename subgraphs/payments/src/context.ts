// What every payments resolver receives: the stores, the peers it asks for
// facts, the payment rules, and this request's loaders.
import type { Caller } from '@interop/kit/security';
import { createLoaders, type PaymentsLoaders } from './loaders';
import type { PaymentService } from './payment-service';
import type { PeerFacts } from './peers';
import type { PaymentLedger } from './store/ledger';
import type { PaymentsStore } from './store/payments-store';
import type { WebhookEndpoints } from './webhooks/endpoints';

export interface PaymentsDeps {
  store: PaymentsStore;
  ledger: PaymentLedger;
  peers: PeerFacts;
  payments: PaymentService;
  /** Partner webhook endpoints, their deliveries and redelivery. */
  webhooks: WebhookEndpoints;
}

export interface PaymentsContext extends PaymentsDeps {
  loaders: PaymentsLoaders;
  /** Who is asking, as the gateway signed it: payments are theirs or their merchant's only. */
  caller: Caller;
}

export function createContext(deps: PaymentsDeps, caller: Caller): PaymentsContext {
  return { ...deps, caller, loaders: createLoaders(deps.store, deps.ledger) };
}
