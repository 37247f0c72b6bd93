// What a gateway runs with where neither its command line, its environment
// nor its config file says otherwise. It imports none of the server, so that
// reading the command line and the config file (cli.ts, gateway-config.ts)
// loads none of it: a mistake there is told in a fraction of the time.
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from './example-operation';

/** How long a subgraph fetch may take, unless SUBGRAPH_TIMEOUT_MS or --subgraph-timeout says. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5000;

/** Sent by the demo as `x-api-key`; DEMO_API_KEY replaces it. Not a secret: anyone who opens the demo reads it. */
export const DEFAULT_DEMO_API_KEY = 'interop-demo-key';

export interface RateLimitConfig {
  /** Requests one credential may make per window. */
  points: number;
  /** Window length in whole seconds (Redis expires keys by the second); a key's window starts at its first request. */
  windowSeconds: number;
  /** Requests one anonymous client IP may make per window. */
  anonymousPoints: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { points: 600, windowSeconds: 60, anonymousPoints: 120 };

export interface ResponseCacheSettings {
  enabled: boolean;
  /** Memory for cached answers in each gateway process, when they are not kept in Redis. */
  maxSizeMiB: number;
}

export const DEFAULT_RESPONSE_CACHE: ResponseCacheSettings = { enabled: true, maxSizeMiB: 32 };

export interface WarmUpSettings {
  /**
   * Read-only operations (queries) to run before the gateway reports ready,
   * with their variables: one set for every run, or several taken in turn
   * (a first page and a later one, say, which read differently).
   */
  operations: readonly { query: string; variables?: Record<string, unknown> | readonly Record<string, unknown>[] | undefined }[];
  /** Runs of each operation; 0 turns the warm-up off. */
  requests: number;
  /** The warm-up ends after this long, however far it got. */
  maxSeconds: number;
}

/**
 * The operation Apollo Sandbox opens on, 500 times: after 200 the first
 * pages a new process served still cost its subgraphs a fifth more than
 * later ones; after 500, as much (see warm-up.ts). The command
 * line's default; a gateway built without it (tests, embedding) runs none.
 */
export const DEFAULT_WARM_UP: WarmUpSettings = { operations: [{ query: EXAMPLE_OPERATION, variables: EXAMPLE_VARIABLES }], requests: 500, maxSeconds: 30 };
