// Automatic persisted queries as Apollo Server reads them: a request names
// its document by `extensions.persistedQuery` (version 1 and the hex SHA-256
// of the text), with the text, to register it, or without, to run the text
// registered before. The gateway checks a named text against its hash before
// anything rewrites the text (alias normalisation would otherwise break the
// name), refusing a mismatch with a code of its own rather than an error
// Apollo Server leaves without one; and the direct path resolves a name as
// Apollo Server would, from the same cache.
import { hash } from 'node:crypto';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { AppError, isRecord } from '@interop/kit';
import { GatewayErrorCode } from './__generated__/error-codes';

/** The prefix Apollo Server gives a hash's key in the persisted-query cache. */
const APQ_KEY_PREFIX = 'apq:';

/** What a request's `extensions` say of a persisted query: none, one Apollo Server refuses, or the hash it names. */
export type PersistedQueryName = { sha256Hash: string } | 'unsupported' | null;

export function persistedQueryIn(extensions: unknown): PersistedQueryName {
  if (!isRecord(extensions) || !('persistedQuery' in extensions)) return null;
  const named = extensions.persistedQuery;
  if (!isRecord(named) || named.version !== 1 || typeof named.sha256Hash !== 'string') return 'unsupported';
  return { sha256Hash: named.sha256Hash };
}

/** Why a request's persisted query cannot run, with its code; null when it can, or names none. */
export function persistedQueryRefusal(request: unknown): AppError | null {
  if (!isRecord(request)) return null;
  const named = persistedQueryIn(request.extensions);
  if (named === null) return null;
  if (named === 'unsupported') {
    return new AppError(GatewayErrorCode.BAD_REQUEST, 'A persisted query must be `{"version": 1, "sha256Hash": "<hex SHA-256 of the query>"}`.', {
      http: { status: 400 },
    });
  }
  if (typeof request.query === 'string' && textHash(request.query) !== named.sha256Hash) {
    return new AppError(GatewayErrorCode.PERSISTED_QUERY_HASH_MISMATCH, 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.', {
      http: { status: 400 },
    });
  }
  return null;
}

/** Whether the request names its text by a persisted query's hash, so the text must reach Apollo Server as sent. */
export function namesPersistedQuery(request: unknown): boolean {
  return isRecord(request) && persistedQueryIn(request.extensions) !== null;
}

/** The hash Apollo Server names a text by (hex SHA-256, lower case). */
export const textHash = (text: string): string => hash('sha256', text);

/** Apollo Server's persisted-query cache, read and written under its keys. */
export class PersistedQueries {
  constructor(readonly cache: KeyValueCache<string>) {}

  /** The text registered under the hash (or a trusted document's), if any. */
  text(sha256Hash: string): Promise<string | undefined> {
    return this.cache.get(APQ_KEY_PREFIX + sha256Hash);
  }

  /** Registers a text under its hash as Apollo Server does when it runs one: in the background, a failure only logged. */
  register(sha256Hash: string, text: string, onError: (error: unknown) => void): void {
    Promise.resolve(this.cache.set(APQ_KEY_PREFIX + sha256Hash, text)).catch(onError);
  }
}
