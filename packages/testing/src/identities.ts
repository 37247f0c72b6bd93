// The credentials and trust the tests use: a partner with every scope (what
// most tests act as), a second partner, a merchant console, and the secret the
// test gateway and subgraphs share.
import { createHash } from 'node:crypto';
import type { SubgraphTrust } from '@interop/kit/server';
import type { Caller } from '@interop/kit/security';
import type { AuthOptions } from '@interop/gateway';

export const TEST_TRUST: SubgraphTrust = { signingSecret: 'test-subgraph-signing-secret' };

export const ALL_SCOPES = ['payments:read', 'payments:write', 'merchants:read', 'merchants:write'];

export interface TestCredential {
  key: string;
  caller: Caller;
}

const credential = (key: string, partnerId: string, scopes: string[]): TestCredential => ({
  key,
  caller: { partnerId, scopes, credentialId: `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}` },
});

/** What `graph.query` sends unless a test says otherwise. */
export const PARTNER_A = credential('test-key-partner-a-0123456789', 'partner-a', ALL_SCOPES);
export const PARTNER_B = credential('test-key-partner-b-0123456789', 'partner-b', ALL_SCOPES);
/** Reads only: no payments:write. */
export const READ_ONLY = credential('test-key-read-only-0123456789', 'partner-a', ['payments:read']);

export const merchantConsole = (merchantId: string): TestCredential =>
  credential(`test-key-console-${merchantId}-0123456789`, `console-${merchantId}`, ['payments:read', 'payments:write', 'merchants:read', 'merchants:write', `merchant:${merchantId}`]);

/** Tests mint HS256 tokens with this secret for any partner and scopes (see `mintToken`). */
export const TEST_JWT = { secret: 'test-jwt-secret-of-at-least-32-bytes!!', audience: 'interop-graph-test', issuer: 'https://auth.test.example' };

const record = ({ key, caller }: TestCredential) => ({
  id: caller.credentialId?.replace(/^key:/, '') ?? key,
  partnerId: caller.partnerId ?? '',
  sha256: createHash('sha256').update(key).digest('hex'),
  scopes: [...caller.scopes],
});

export const TEST_AUTH: AuthOptions = {
  apiKeys: [PARTNER_A, PARTNER_B, READ_ONLY].map(record),
  jwt: { hs256Secret: TEST_JWT.secret, audience: TEST_JWT.audience, issuer: TEST_JWT.issuer },
};

export interface TokenClaims {
  partnerId?: string;
  scopes?: string[];
  audience?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  secret?: string;
}

/** An HS256 JWT as a partner's identity provider would issue it, for the `Authorization: Bearer` header. */
export async function mintToken(claims: TokenClaims = {}): Promise<Record<string, string>> {
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ partner_id: claims.partnerId ?? 'partner-a', scope: (claims.scopes ?? ALL_SCOPES).join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`user-of-${claims.partnerId ?? 'partner-a'}`)
    .setIssuer(TEST_JWT.issuer)
    .setAudience(claims.audience ?? TEST_JWT.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (claims.expiresIn ?? 300))
    .sign(new TextEncoder().encode(claims.secret ?? TEST_JWT.secret));
  return { authorization: `Bearer ${token}` };
}
