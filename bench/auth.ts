// Who the bench's clients are. Every request through our gateway carries a
// partner's API key, as a partner's app sends it on every call, so
// authentication and the per-credential rate limiter are part of what is
// measured. The limiter stays on with a budget no run can spend: its cost is
// measured, never its refusals. The direct replay signs each subgraph request
// for the caller our gateway signed it for, as the subgraphs require.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { IDENTITY_HEADER, signIdentity, type Caller } from '@interop/kit/security';
import { digestKey, type ApiKeyRecord } from '../gateway/src/auth/api-keys';
import type { GatewayFile } from '../gateway/src/gateway-config';
import { DEFAULT_CONFIG_FILE } from '../gateway/src/cli';
import { ROOT } from '@interop/testing/processes';

/**
 * Shared by our gateway, the capturing gateway and the subgraphs; set on each
 * explicitly, so a secret in the caller's environment cannot split them. Not
 * the development secret, which services running as they ship
 * (NODE_ENV=production) refuse.
 */
export const BENCH_SIGNING_SECRET = 'interop-bench-subgraph-signing-secret';

/** The wallet's and payments' shared secret in a bench, for the same reason. */
export const BENCH_WALLET_SECRET = 'interop-bench-wallet-signing-secret';

export const BENCH_API_KEY = 'interop-bench-partner-key';

/** A checkout partner's key: payments:write is what initiatePayment needs. */
export const BENCH_KEY: ApiKeyRecord = {
  id: 'bench',
  partnerId: 'bench-partner',
  sha256: digestKey(BENCH_API_KEY),
  scopes: ['payments:read', 'payments:write'],
};

/**
 * Partners of varied traffic: request `i` carries the key of partner
 * `i % PARTNERS`, so two requests signed for the same caller are 1,024
 * requests apart, far more than the 50 a run keeps in flight: a subgraph read
 * that does not depend on the variables is never shared between requests.
 * Same scopes as the bench partner.
 */
export const PARTNERS = 1024;

const partnerKey = (k: number) => `interop-bench-partner-${k}-key`;

export const PARTNER_KEYS: readonly ApiKeyRecord[] = Array.from({ length: PARTNERS }, (_, k) => ({
  id: `bench-${k}`,
  partnerId: `bench-partner-${k}`,
  sha256: digestKey(partnerKey(k)),
  scopes: [...BENCH_KEY.scopes],
}));

const PARTNER_HEADERS = Array.from({ length: PARTNERS }, (_, k): Readonly<Record<string, string>> => ({ 'x-api-key': partnerKey(k) }));

/** What request `i` of varied traffic carries: its partner's key. */
export const partnerHeaders = (i: number): Readonly<Record<string, string>> => PARTNER_HEADERS[i % PARTNERS]!;

/** Far beyond what a run sends in a window (a few thousand requests a second at most). */
export const BENCH_RATE_LIMIT = { enabled: true, points: 1_000_000_000, anonymousPoints: 1_000_000_000, windowSeconds: 60 };

/** What every client request carries, to both gateways: the stock one ignores the header, so the two get the same bytes. */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = { 'x-api-key': BENCH_API_KEY };

/**
 * The repository's gateway.config.yaml (so operation limits stay as shipped)
 * with the bench partners' keys added and the unspendable rate-limit budget,
 * written into the run's folder for `--config`.
 */
export function writeGatewayConfig(runDir: string, responseCache: boolean): string {
  const shipped = (parseYaml(readFileSync(join(ROOT, DEFAULT_CONFIG_FILE), 'utf8')) ?? {}) as Partial<GatewayFile>;
  const config: Partial<GatewayFile> = {
    ...shipped,
    auth: { ...shipped.auth, apiKeys: [...(shipped.auth?.apiKeys ?? []), { ...BENCH_KEY, scopes: [...BENCH_KEY.scopes] }, ...PARTNER_KEYS.map((key) => ({ ...key, scopes: [...key.scopes] }))] },
    rateLimit: BENCH_RATE_LIMIT,
    responseCache: { ...shipped.responseCache, enabled: responseCache },
  };
  const path = join(runDir, 'gateway.config.yaml');
  writeFileSync(path, stringifyYaml(config));
  return path;
}

/** The identity header our gateway would send `subgraph` with `body` for `caller`; re-signed per body, since the signature covers it. */
export const signedFor = (caller: Caller, subgraph: string) => (body: string): Record<string, string> => ({
  [IDENTITY_HEADER]: signIdentity(BENCH_SIGNING_SECRET, caller, subgraph, body),
});
