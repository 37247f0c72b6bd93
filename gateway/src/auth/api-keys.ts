// API keys for partner apps. Only SHA-256 digests are configured and kept, so
// a leaked config file or heap dump gives nobody a working key; keys are long
// random tokens, for which a fast digest is the usual choice.
import { hash } from 'node:crypto';
import type { Caller } from '@interop/kit/security';
import type { TrustedDocumentMode } from '../trusted-documents';

export interface ApiKeyRecord {
  /** A name for logs and rate limits, e.g. `demo`; never the key. */
  id: string;
  partnerId: string;
  /** Hex SHA-256 of the key. */
  sha256: string;
  scopes: readonly string[];
  /** What this key may run beyond the trusted documents; the gateway's `trustedDocuments.mode` when not set. */
  trustedDocuments?: TrustedDocumentMode | undefined;
}

export const digestKey = (key: string): string => hash('sha256', key, 'hex');

export class ApiKeys {
  private readonly byDigest: Map<string, Caller>;

  constructor(records: readonly ApiKeyRecord[]) {
    this.byDigest = new Map(
      records.map((record) => [record.sha256.toLowerCase(), { partnerId: record.partnerId, scopes: [...record.scopes], credentialId: `key:${record.id}` }]),
    );
  }

  /** The caller the key belongs to, or null for a key nobody issued. */
  lookup(key: string): Caller | null {
    return this.byDigest.get(digestKey(key)) ?? null;
  }
}
