// A bounded load for fault tests: a fixed number of requests at a fixed
// concurrency, each with its own deadline, recording every outcome.
import { postGraphQL, type GraphQLResponse } from './harness';

export interface LoadResult<T> {
  index: number;
  response?: GraphQLResponse<T>;
  /** Set when the request failed at the HTTP level or missed its deadline. */
  failure?: string;
  ms: number;
}

export async function runLoad<T>(options: {
  url: () => string;
  query: string;
  total: number;
  concurrency: number;
  deadlineMs: number;
  /** Called after each finished request, e.g. to kill a subgraph midway. */
  onProgress?: (done: number) => Promise<void> | void;
}): Promise<LoadResult<T>[]> {
  const results: LoadResult<T>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.total) {
      const index = next;
      next += 1;
      const started = Date.now();
      try {
        const response = await Promise.race([
          postGraphQL<T>(options.url(), options.query),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deadline')), options.deadlineMs).unref()),
        ]);
        results.push({ index, response, ms: Date.now() - started });
      } catch (error) {
        results.push({ index, failure: (error as Error).message, ms: Date.now() - started });
      }
      await options.onProgress?.(results.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results.sort((a, b) => a.index - b.index);
}
