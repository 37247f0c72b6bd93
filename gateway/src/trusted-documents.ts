// Trusted documents: the operations the project's own clients send (the demo
// web app and the partner SDK), listed in one manifest that `npm run
// build:documents` writes. A request may name one by its hash alone
// (`extensions.persistedQuery.sha256Hash`, as Apollo's persisted queries
// do), or send its exact text. Per API key (or for everyone), the mode says
// what happens to any other document: `off` runs it, `log` runs it and logs
// it, `enforce` refuses it with 400 PERSISTED_QUERY_NOT_ALLOWED before it is
// parsed. Automatic persisted queries keep working where arbitrary documents
// may run.
import { readFileSync } from 'node:fs';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { AppError, ConfigError, type Logger } from '@interop/kit';
import type { Caller } from '@interop/kit/security';
import { GatewayErrorCode } from './__generated__/error-codes';
import type { ApiKeyRecord } from './auth/api-keys';

export const TRUSTED_DOCUMENT_MODES = ['off', 'log', 'enforce'] as const;
export type TrustedDocumentMode = (typeof TRUSTED_DOCUMENT_MODES)[number];

/** The manifest `npm run build:documents` writes beside gateway.config.yaml. */
export const DEFAULT_MANIFEST_FILE = 'trusted-documents.json';

const SHA256_KEY = /^sha256:([0-9a-f]{64})$/;

export class TrustedDocuments {
  private readonly texts: Set<string>;

  /** `byHash`: each document's text by the hex SHA-256 it is named by. */
  constructor(private readonly byHash: ReadonlyMap<string, string>) {
    this.texts = new Set(byHash.values());
  }

  get size(): number {
    return this.byHash.size;
  }

  text(hash: string): string | undefined {
    return this.byHash.get(hash);
  }

  /** Whether the request names a trusted document: by its exact text, or by hash alone. */
  trusts(request: RequestedDocument): boolean {
    if (request.query !== undefined) return this.texts.has(request.query);
    return request.hash !== undefined && this.byHash.has(request.hash);
  }

  /**
   * Apollo Server's persisted-query cache, answering a trusted document's hash
   * from the manifest, so a client can send the hash alone without having
   * registered the text first; every other hash is kept in `registered`.
   */
  persistedQueryCache(registered: KeyValueCache<string>): KeyValueCache<string> {
    return {
      get: async (key) => {
        const hash = /^apq:([0-9a-f]{64})$/.exec(key)?.[1];
        return (hash !== undefined ? this.byHash.get(hash) : undefined) ?? registered.get(key);
      },
      set: (key: string, value: string, options?: KeyValueCacheSetOptions) => registered.set(key, value, options),
      delete: (key: string) => registered.delete(key),
    };
  }
}

/** Reads a manifest: a JSON object of `"sha256:<hex>": "<document text>"`, as GraphQL Code Generator's client preset writes them. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the trusted documents manifest ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${path} is not a trusted documents manifest (a JSON object)`);
  const byHash = new Map<string, string>();
  for (const [key, text] of Object.entries(parsed)) {
    const hash = SHA256_KEY.exec(key)?.[1];
    if (hash === undefined || typeof text !== 'string') throw new ConfigError(`${path}: each entry must be "sha256:<64 hex digits>": "<document>", got ${JSON.stringify(key)}`);
    byHash.set(hash, text);
  }
  return new TrustedDocuments(byHash);
}

/** What a request asks to run, read without parsing it: its text, or the hash it names. */
export interface RequestedDocument {
  query?: string;
  hash?: string;
}

/** From a POST body (as parsed JSON), or a GET's parameters as `searchRequest` reads them. */
export function requestedInBody(body: unknown): RequestedDocument {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const { query, extensions } = body as { query?: unknown; extensions?: unknown };
  return { ...(typeof query === 'string' ? { query } : {}), ...hashIn(extensions) };
}

function hashIn(extensions: unknown): { hash?: string } {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? { hash: hash.toLowerCase() } : {};
}

/**
 * Whether a caller's document is trusted; throws PERSISTED_QUERY_NOT_ALLOWED
 * where the caller may send trusted documents only (see documentTrust).
 */
export type DocumentTrust = (caller: Caller, document: RequestedDocument | (() => RequestedDocument)) => boolean;

export function persistedQueryNotAllowed(): AppError {
  return new AppError(GatewayErrorCode.PERSISTED_QUERY_NOT_ALLOWED, 'This credential may send only the trusted documents in the gateway\'s manifest.', {
    http: { status: 400 },
  });
}

/** The gateway's trust setting: the mode for callers whose key sets none, and the manifest. */
export interface TrustedDocumentSettings {
  mode: TrustedDocumentMode;
  manifest: TrustedDocuments | undefined;
}

/**
 * Whether a caller's document is trusted, by the mode of the caller's API key
 * (else the gateway's): `enforce` throws PERSISTED_QUERY_NOT_ALLOWED for an
 * untrusted one, `log` logs it. The document is read only when some mode or a
 * manifest needs it.
 */
export function documentTrust(settings: TrustedDocumentSettings | undefined, apiKeys: readonly ApiKeyRecord[], logger: Logger): DocumentTrust {
  const modes = new Map<string, TrustedDocumentMode>(apiKeys.flatMap((key) => (key.trustedDocuments ? [[`key:${key.id}`, key.trustedDocuments]] : [])));
  const manifest = settings?.manifest;
  return (caller, document) => {
    const mode = (caller.credentialId !== null ? modes.get(caller.credentialId) : undefined) ?? settings?.mode ?? 'off';
    if (mode === 'off' && !manifest) return false;
    const requested = typeof document === 'function' ? document() : document;
    if (manifest?.trusts(requested)) return true;
    if (mode === 'enforce') throw persistedQueryNotAllowed();
    if (mode === 'log') logger.warn({ credential: caller.credentialId, hash: requested.hash, length: requested.query?.length }, 'an untrusted document was run');
    return false;
  };
}
