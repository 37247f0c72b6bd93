// A single GraphQL result answered the way Apollo Server answers it, for the
// paths that skip its request pipeline (the gateway's and the subgraphs'
// operations run before): the same content type for the client's `accept`,
// the same errors (a code always, the HTTP part moved to the response's head,
// then formatError), the same Cache-Control header and the same body bytes.
import type { CacheHint, CachePolicy } from '@apollo/cache-control-types';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { DirectAnswer } from './http';
import { preferredMediaType } from './http-answer';

/** Apollo Server's content types for a single result, in its order of preference. */
const SINGLE_RESULT_TYPES = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'application/json; callbackSpec=1.0; charset=utf-8'];

/** The content type Apollo Server answers a single result in for `accept`; null when it would refuse the request (406). */
export function singleResultContentType(accept: string | undefined): string | null {
  return accept ? preferredMediaType(accept, SINGLE_RESULT_TYPES) : SINGLE_RESULT_TYPES[0]!;
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What an error's `http` extension asks of the response: a status, headers. */
export interface HttpHead {
  status?: number;
  headers?: Map<string, string>;
}

/** An error as Apollo Server formats it: a code always, its HTTP part handed to `head`, then formatError. */
export function formatErrorAsApollo(error: GraphQLError, formatError: FormatError, head: (http: HttpHead) => void): GraphQLFormattedError {
  // graphql-jit's errors carry no extensions object when their cause had none.
  const { http, ...rest } = (error.extensions ?? {}) as Record<string, unknown>;
  const extensions = { ...rest, code: rest.code ?? 'INTERNAL_SERVER_ERROR' };
  if (http !== undefined) {
    if (isHttpHead(http)) head(http);
    else (extensions as Record<string, unknown>).http = http;
  }
  try {
    return formatError({ ...error.toJSON(), extensions }, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

function isHttpHead(value: unknown): value is HttpHead {
  if (typeof value !== 'object' || value === null) return false;
  const head = value as Record<string, unknown>;
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}

/** Apollo Server's cache-control header for a whole answer with no header of its own. */
export function cacheControlHeader(policy: CachePolicy, hasErrors: boolean): string {
  const cacheable = policy.policyIfCacheable();
  return cacheable && !hasErrors ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : 'no-store';
}

/** Apollo Server's cache policy (not exported by it): the shortest max-age and the narrowest scope hinted. */
export function newCachePolicy(): CachePolicy {
  const policy: CachePolicy = {
    restrict(hint: CacheHint) {
      if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
      if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
    },
    replace(hint: CacheHint) {
      if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
      if (hint.scope !== undefined) policy.scope = hint.scope;
    },
    policyIfCacheable() {
      return policy.maxAge === undefined || policy.maxAge === 0 ? null : { maxAge: policy.maxAge, scope: policy.scope ?? 'PUBLIC' };
    },
  };
  return policy;
}

export interface ApolloResult {
  data?: unknown;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** The body as Apollo Server writes it: errors, data, extensions, then a newline. */
export function apolloAnswer(status: number, headers: Iterable<readonly [string, string]>, result: ApolloResult): DirectAnswer {
  return { status, headers, body: `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n` };
}
