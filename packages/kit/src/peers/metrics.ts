// Prometheus metrics of the facts a subgraph holds for its peers, on its
// /metrics: how many entities each owner's are held for, how reads were
// answered (from memory, or by asking the owner), and how often all of an
// owner's were loaded. Named after the subgraph: `<service>_peer_facts_held`.
import { Counter, Gauge, type Registry } from 'prom-client';
import { HeldFacts, type FactsReader, type HeldFactsCounts } from './held-facts';

/** One owner's held facts as the metrics read them. */
export interface HeldFactsReport {
  owner: string;
  size: number;
  reads: HeldFactsCounts;
}

/** The report of an owner's facts where they are held; none where they are asked each time. */
export function heldFactsReport(owner: string, reader: FactsReader<object>): HeldFactsReport[] {
  return reader instanceof HeldFacts ? [{ owner, size: reader.size, reads: reader.reads }] : [];
}

export function registerHeldFactsMetrics(registry: Registry, service: string, held: () => readonly HeldFactsReport[]): void {
  new Gauge({
    name: `${service}_peer_facts_held`,
    help: `Entities whose facts ${service} holds, by owner (none while the owner's fact events are not heard).`,
    labelNames: ['owner'] as const,
    registers: [registry],
    collect() {
      for (const { owner, size } of held()) this.set({ owner }, size);
    },
  });
  new Counter({
    name: `${service}_peer_fact_reads_total`,
    help: 'Reads of facts a peer owns, by owner and how they were answered: held (from memory) or asked (of the owner).',
    labelNames: ['owner', 'answered'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { owner, reads } of held()) {
        this.inc({ owner, answered: 'held' }, reads.held);
        this.inc({ owner, answered: 'asked' }, reads.asked);
      }
    },
  });
  new Counter({
    name: `${service}_peer_facts_loads_total`,
    help: "Loads of every entity of an owner's facts: when its fact events are first heard, after a gap in them, and after a change of any.",
    labelNames: ['owner'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { owner, reads } of held()) this.inc({ owner }, reads.loads);
    },
  });
}
