// Differential tests of the gateway's plan executor: one set of small
// subgraphs (see federation-fixture.ts) behind our gateway and behind stock
// @apollo/gateway, the same operation sent to each, and their answers compared
// as written. The subgraphs' request logs keep only what our gateway sent, so
// a test can also check what the executor fetched.
import { startFederation, type Federation, type SubgraphRequest, type SubgraphSpec } from './federation-fixture';
import { Planner } from './query-plans';
import { postRaw, startStockGateway, type RawAnswer } from './stock-gateway';

export interface Differential {
  graph: Federation;
  planner: Planner;
  /** Stock's answer, then ours; `before` runs before each (to put back what a mutation changed). */
  answers(query: string, variables?: Record<string, unknown>, before?: () => void): Promise<{ ours: RawAnswer; stock: RawAnswer }>;
  /** Asserts both gateways write the same JSON text without errors; returns the data. */
  sameAnswer(query: string, variables?: Record<string, unknown>, before?: () => void): Promise<Record<string, unknown>>;
  /** What our gateway sent the subgraph `name` since the last `forgetRequests`. */
  sentTo(name: string): SubgraphRequest[];
  forgetRequests(): void;
  stop(): Promise<void>;
}

export async function startDifferential(specs: readonly SubgraphSpec[]): Promise<Differential> {
  const graph = await startFederation(specs);
  let stopStock = async () => {};
  try {
    const stock = await startStockGateway(graph.supergraphSdl);
    stopStock = stock.stop;
    const forgetRequests = () => {
      for (const subgraph of Object.values(graph.subgraphs)) subgraph.requests.length = 0;
    };
    const answers: Differential['answers'] = async (query, variables = {}, before) => {
      before?.();
      const theirs = await postRaw(stock.url, query, variables);
      before?.();
      forgetRequests();
      const ours = await postRaw(graph.gateway.url, query, variables);
      return { ours, stock: theirs };
    };
    return {
      graph,
      planner: new Planner(graph.supergraphSdl),
      answers,
      async sameAnswer(query, variables, before) {
        const { ours, stock: theirs } = await answers(query, variables, before);
        expect(ours.text).toBe(theirs.text);
        expect(ours.status).toBe(theirs.status);
        const body = JSON.parse(ours.text) as { data?: Record<string, unknown>; errors?: unknown };
        expect(body.errors).toBeUndefined();
        return body.data ?? {};
      },
      sentTo: (name) => graph.subgraphs[name]!.requests,
      forgetRequests,
      async stop() {
        await stopStock();
        await graph.stop();
      },
    };
  } catch (error) {
    await stopStock();
    await graph.stop();
    throw error;
  }
}
