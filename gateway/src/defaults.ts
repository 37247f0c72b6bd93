// What a gateway runs with where neither its command line, its environment
// nor its config file says otherwise. A module with no imports, so that
// reading the command line and the config file (cli.ts, gateway-config.ts)
// loads none of the server: a mistake there is told in a fraction of the time.

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
