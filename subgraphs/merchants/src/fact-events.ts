// Tells gateways that cache public answers when an opt-in changed (see the
// kit's factAnnouncer): on each bus given, this process's own (served on
// /events/facts to gateways without a shared bus, which follow it because the
// schema declares it: `Enrolment @factsAnnounced`) and the shared one (Redis
// or PostgreSQL) when there is one, and in the answer of the mutation that
// made the change.
import type { Logger } from '@interop/kit';
import { factAnnouncer, type EventBus } from '@interop/kit/events';
import type { MerchantsStore } from './store/merchants-store';

export function publishFactChanges(store: MerchantsStore, buses: readonly EventBus[], logger: Logger): () => void {
  const out = factAnnouncer('merchants', buses, logger);
  const stop = store.onEnrolmentChange(({ storefront, toolId, status }) =>
    out.announce([{ type: 'Merchant', id: storefront.merchantId }], { platformId: storefront.platformId, toolId, status }),
  );
  return () => {
    stop();
    out.stop();
  };
}
