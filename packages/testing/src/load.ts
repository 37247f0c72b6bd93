// A bounded load for fault tests: a fixed number of requests at a fixed
// concurrency, each with its own deadline, recording every outcome.
import { postGraphQL, type GraphQLResponse } from './harness';

export interface LoadResult<T> {
  index: number;
  response?: GraphQLResponse<T>;
  /** Set when the request failed at the HTTP level or missed its deadline. */
  failure?: string;
  /** What `tag` said when the request started (e.g. the phase of a fault test). */
  tag?: string;
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
  /** Awaited before each request starts, so a test can hold the load while it restarts something. */
  gate?: () => Promise<void>;
  tag?: () => string;
}): Promise<LoadResult<T>[]> {
  const results: LoadResult<T>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.total) {
      await options.gate?.();
      if (next >= options.total) break;
      const index = next;
      next += 1;
      const tag = options.tag?.();
      const started = Date.now();
      try {
        const response = await Promise.race([
          postGraphQL<T>(options.url(), options.query),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deadline')), options.deadlineMs).unref()),
        ]);
        results.push({ index, response, ms: Date.now() - started, ...(tag === undefined ? {} : { tag }) });
      } catch (error) {
        results.push({ index, failure: (error as Error).message, ms: Date.now() - started, ...(tag === undefined ? {} : { tag }) });
      }
      await options.onProgress?.(results.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results.sort((a, b) => a.index - b.index);
}
