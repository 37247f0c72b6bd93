// Commerce's data: platforms, their rules per payment tool and their listings.
// The facts are few and change with a release, so they live in memory, indexed
// for the batch lookups the DataLoaders make. Every method takes a batch of
// keys and answers in key order, so one call serves one DataLoader batch.
import { groupBy } from '@interop/kit/db';
import { acceptances, listings, platforms } from './seed';
import type { AcceptanceRow, ListingRow, PlatformRow } from './types';

const byRank = (a: AcceptanceRow, b: AcceptanceRow) => a.checkoutRank - b.checkoutRank || a.toolId.localeCompare(b.toolId);
const byPlatform = (a: AcceptanceRow, b: AcceptanceRow) => a.platformId.localeCompare(b.platformId);

export class CommerceStore {
  private readonly platformById = new Map(platforms.map((platform) => [platform.id, platform]));
  private readonly acceptancesByPlatform = groupBy([...acceptances].sort(byRank), (row) => row.platformId);
  private readonly acceptancesByTool = groupBy([...acceptances].sort(byPlatform), (row) => row.toolId);
  private readonly listingsByHost = groupBy(listings, (row) => row.hostId);
  private readonly listingsByService = groupBy(listings, (row) => row.serviceId);
  private readonly ruleListeners = new Set<() => void>();

  /** Calls `listener` whenever the rules are said to have changed (rulesChanged); returns the function that stops it. */
  onRulesChange(listener: () => void): () => void {
    this.ruleListeners.add(listener);
    return () => {
      this.ruleListeners.delete(listener);
    };
  }

  /**
   * Says the rules this store answers changed while it was in use (they
   * otherwise change only with a deploy): the subgraph announces it, so
   * whoever holds or caches them reads them again.
   */
  rulesChanged(): void {
    for (const listener of this.ruleListeners) listener();
  }

  async listPlatforms(): Promise<PlatformRow[]> {
    return [...platforms].sort((a, b) => a.id.localeCompare(b.id));
  }

  async platformsByIds(ids: readonly string[]): Promise<(PlatformRow | null)[]> {
    return ids.map((id) => this.platformById.get(id) ?? null);
  }

  /** Each platform's rules in checkout order. */
  async acceptancesByPlatformIds(ids: readonly string[]): Promise<AcceptanceRow[][]> {
    return ids.map((id) => this.acceptancesByPlatform.get(id) ?? []);
  }

  /** Each tool's rules across platforms, by platform id. */
  async acceptancesByToolIds(ids: readonly string[]): Promise<AcceptanceRow[][]> {
    return ids.map((id) => this.acceptancesByTool.get(id) ?? []);
  }

  async listingsByHostIds(ids: readonly string[]): Promise<ListingRow[][]> {
    return ids.map((id) => this.listingsByHost.get(id) ?? []);
  }

  async listingsByServiceIds(ids: readonly string[]): Promise<ListingRow[][]> {
    return ids.map((id) => this.listingsByService.get(id) ?? []);
  }
}
