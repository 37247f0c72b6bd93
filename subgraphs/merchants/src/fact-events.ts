// Tells gateways that cache public answers when an opt-in changed, as a
// facts-changed message on each bus given: this process's own (served on
// /events/facts to gateways without a shared bus) and the shared one (Redis or
// PostgreSQL) when there is one. After a lost publish, another facts-changed
// message follows once the bus takes messages again.
import { announcer, encodeFactsChanged, type EventBus, type Logger } from '@interop/kit';
import type { MerchantsStore } from './store/merchants-store';

export function publishFactChanges(store: MerchantsStore, buses: readonly EventBus[], logger: Logger): () => void {
  const out = announcer(buses, { what: 'fact event', catchUp: () => encodeFactsChanged('merchants'), logger });
  const stop = store.onEnrolmentChange(({ storefront, toolId, status }) =>
    out.announce(encodeFactsChanged('merchants'), { platformId: storefront.platformId, toolId, status }),
  );
  return () => {
    stop();
    out.stop();
  };
}
