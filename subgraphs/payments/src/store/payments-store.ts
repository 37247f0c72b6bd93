// The payment tools and their interoperability. Few, and changed with a
// release, so they live in memory; methods answer batches in key order.
import { interoperability, paymentTools } from './seed';
import type { PaymentToolRow } from './types';

export class PaymentsStore {
  private readonly toolById = new Map(paymentTools.map((tool) => [tool.id, tool]));
  private readonly partners = new Map<string, string[]>();

  constructor() {
    for (const { toolIds } of interoperability) {
      const [a, b] = toolIds;
      this.partners.set(a, [...(this.partners.get(a) ?? []), b]);
      this.partners.set(b, [...(this.partners.get(b) ?? []), a]);
    }
  }

  /** Every tool id, sorted: the tools a checkout lists. */
  toolIds(): string[] {
    return paymentTools.map((tool) => tool.id).sort();
  }

  /** The whole catalogue, read the way a batch of ids is, so every reader sees one catalogue. */
  async listTools(): Promise<PaymentToolRow[]> {
    const tools = await this.toolsByIds(this.toolIds());
    return tools.filter((tool): tool is PaymentToolRow => tool !== null);
  }

  async toolsByIds(ids: readonly string[]): Promise<(PaymentToolRow | null)[]> {
    return ids.map((id) => this.toolById.get(id) ?? null);
  }

  /** Ids of the tools each tool interoperates with, sorted. */
  async interoperatingToolIds(ids: readonly string[]): Promise<string[][]> {
    return ids.map((id) => [...(this.partners.get(id) ?? [])].sort());
  }
}
