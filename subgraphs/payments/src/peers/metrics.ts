// Prometheus metrics of the facts payments holds for its peers, on payments'
// /metrics: how many entities each owner's are held for, how reads were
// answered (from memory, or by asking the owner), and how often all of an
// owner's were loaded.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PeerFacts } from './index';

export function registerPeerFactsMetrics(registry: Registry, peers: PeerFacts): void {
  new Gauge({
    name: 'payments_peer_facts_held',
    help: "Entities whose checkout facts payments holds, by owner (none while the owner's fact events are not heard).",
    labelNames: ['owner'] as const,
    registers: [registry],
    collect() {
      for (const { owner, size } of peers.held()) this.set({ owner }, size);
    },
  });
  new Counter({
    name: 'payments_peer_fact_reads_total',
    help: 'Reads of checkout facts a peer owns, by owner and how they were answered: held (from memory) or asked (of the owner).',
    labelNames: ['owner', 'answered'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { owner, reads } of peers.held()) {
        this.inc({ owner, answered: 'held' }, reads.held);
        this.inc({ owner, answered: 'asked' }, reads.asked);
      }
    },
  });
  new Counter({
    name: 'payments_peer_facts_loads_total',
    help: "Loads of every entity an owner's checkout facts cover: when its fact events are first heard, after a gap in them, and after a change of any.",
    labelNames: ['owner'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { owner, reads } of peers.held()) this.inc({ owner }, reads.loads);
    },
  });
}
