// Tells gateways that cache public answers, and payments, which holds
// merchants' checkout facts, when an opt-in changed (see the kit's
// factAnnouncer): on each bus given, this process's own (served on
// /events/facts to followers without a shared bus, which follow it because
// the schema declares it: `Enrolment @factsAnnounced`) and the shared one
// (Redis or PostgreSQL) when there is one, and in the answer of the mutation
// that made the change. Each names the merchant whose facts changed. The
// store waits for the announcement before the move resolves, so it has left
// (the shared bus has passed it to its subscribers) before the mutation
// answers, and a peer holding the facts has it before the caller's next request.
import type { Logger } from '@interop/kit';
import { factAnnouncer, type EventBus } from '@interop/kit/events';
import type { MerchantsStore } from './store/merchants-store';

export interface FactChanges {
  /**
   * A change of any merchant's facts, for a process that has just started: a
   * deploy may have migrated them. Followers of this process's own stream hear
   * a new stream instead. Resolves once every bus took it or refused it.
   */
  announceStart(): Promise<void>;
  stop(): void;
}

export function publishFactChanges(store: MerchantsStore, buses: readonly EventBus[], logger: Logger): FactChanges {
  const out = factAnnouncer('merchants', buses, logger);
  const stop = store.onEnrolmentChange(({ storefront, toolId, status }) =>
    out.announce([{ type: 'Merchant', id: storefront.merchantId }], { platformId: storefront.platformId, toolId, status }),
  );
  return {
    announceStart: () => out.announce(),
    stop() {
      stop();
      out.stop();
    },
  };
}
