// Cross-origin access for browser apps on other origins: the origins the
// operator lists (exact origins, or `*` for any) may call the graph. Their
// preflight is answered here, with the methods and the request headers the
// graph reads; their requests get Access-Control-Allow-Origin. Credentials
// travel in headers (API keys, bearer tokens), never cookies, so credentialed
// CORS is never allowed. A request from any other origin goes on untouched,
// under Apollo's CSRF prevention as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '@interop/kit';

/** The request headers the gateway reads: content negotiation, credentials, CSRF prevention, tracing, graphql-sse's stream token. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
  'traceparent',
  'tracestate',
  'x-graphql-event-stream-token',
];

/** Response headers a browser app may read: its request's id and trace, and its rate-limit budget. */
const EXPOSED_HEADERS = ['x-request-id', 'traceresponse', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'retry-after'];

/** PUT and DELETE: graphql-sse's single-connection mode reserves a stream and stops a subscription with them. */
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Each configured origin as browsers send it (`https://shop.example`, no path), or `*`; refuses anything else. */
export function parseCorsOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    if (origin === '*') return origin;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`Invalid CORS origin ${JSON.stringify(origin)}: give a scheme and host, like https://shop.example, or *`);
    }
    if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      throw new ConfigError(`Invalid CORS origin ${JSON.stringify(origin)}: give only a scheme, host and port, like https://shop.example`);
    }
    return url.origin;
  });
}

export interface CorsPolicy {
  /** Marks a request from an allowed origin; answers its preflight and returns true, so nothing else answers it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/** The policy for `origins` (as parseCorsOrigins gives them); null when none is allowed. */
export function corsPolicy(origins: readonly string[]): CorsPolicy | null {
  if (origins.length === 0) return null;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return {
    handle(req, res) {
      const origin = req.headers.origin;
      // Answers differ by origin whenever some origins are allowed: shared caches must keep them apart.
      res.appendHeader('vary', 'Origin');
      if (origin === undefined || !(any || allowed.has(origin))) return false;
      res.setHeader('access-control-allow-origin', origin);
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
        res.writeHead(204, {
          'access-control-allow-methods': ALLOWED_METHODS,
          'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
          'content-length': '0',
        });
        res.end();
        return true;
      }
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
      return false;
    },
  };
}
