// What the gateway does the moment a subgraph's answer names a fact change
// (see the kit's facts-in-answer), before its own answer leaves: the response
// cache moves to a new generation, and reads already in flight to any subgraph
// are no longer shared with reads that start from now on, which would
// otherwise get facts read before the change and cache them as new.
import type { ResponseCache } from './response-cache';

export class FactsHeard {
  private changes = 0;

  constructor(private readonly cache: ResponseCache | null) {}

  /** Moves with every change heard; identical reads are shared only while it stays. */
  get epoch(): number {
    return this.changes;
  }

  heard(change: string): void {
    this.changes += 1;
    this.cache?.factsChanged(change);
  }
}
