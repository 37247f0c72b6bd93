// Who is calling, as the gateway established it, and how that travels to the
// subgraphs: in one header the gateway signs (HMAC-SHA256 with a secret it
// shares with the subgraphs) over the identity, the subgraph it is meant for,
// an expiry and the exact request body, so a subgraph can trust it and nobody
// can reuse it for another request or another subgraph.
import { hash } from 'node:crypto';
import { contextMac, matchesAnySecret, type AcceptedSecrets } from './signature';

export interface Caller {
  /** The partner the credential belongs to; null for an anonymous caller. */
  partnerId: string | null;
  /** What the credential may do, e.g. `payments:read`, `payments:write`, `merchant:m0000001`. */
  scopes: readonly string[];
  /** The credential that authenticated the call (API key id or JWT subject), for logs and rate limits. */
  credentialId: string | null;
}

export const ANONYMOUS: Caller = Object.freeze({ partnerId: null, scopes: Object.freeze([]), credentialId: null });

/** A peer subgraph asking for public facts on its own behalf. */
export const serviceCaller = (service: string): Caller => ({ partnerId: null, scopes: [], credentialId: `service:${service}` });

export const IDENTITY_HEADER = 'x-interop-identity';

/** How long a signed identity stays valid: long enough for one subgraph request and its retry. */
export const IDENTITY_TTL_SECONDS = 60;

/** The subgraphs' secret in development; a production start refuses it (see `readTrust`). */
export const DEVELOPMENT_SIGNING_SECRET = 'interop-development-signing-secret';

interface Claims {
  p: string | null;
  s: readonly string[];
  c: string | null;
  /** The audience: the subgraph the request is for. */
  a: string;
  /** Expiry, unix seconds. */
  e: number;
}

/**
 * The unsigned half of the header: the caller, the subgraph it is for (its
 * name in the supergraph) and an expiry. The gateway writes it when it plans a
 * subgraph request and seals it (`sealIdentity`) over the exact body once that
 * body is serialised.
 */
export function identityClaims(caller: Caller, audience: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const claims: Claims = { p: caller.partnerId, s: caller.scopes, c: caller.credentialId, a: audience, e: nowSeconds + IDENTITY_TTL_SECONDS };
  return Buffer.from(JSON.stringify(claims)).toString('base64url');
}

/** The header value for `claims` on a request with exactly `body`. */
export function sealIdentity(secret: string, claims: string, body: string): string {
  return sealIdentityOverDigest(secret, claims, bodyDigest(body));
}

/** What the seal covers of a body: its SHA-256, in hex. */
export function bodyDigest(body: string | Uint8Array): string {
  return hash('sha256', body, 'hex');
}

/** `sealIdentity` for a body whose `bodyDigest` the caller has already taken. */
export function sealIdentityOverDigest(secret: string, claims: string, digest: string): string {
  return `${claims}.${macOverDigest(secret, claims, digest)}`;
}

/** The header value that carries `caller` to the `audience` subgraph for a request with exactly `body`. */
export function signIdentity(secret: string, caller: Caller, audience: string, body: string, nowSeconds?: number): string {
  return sealIdentity(secret, identityClaims(caller, audience, nowSeconds), body);
}

export type IdentityCheck = { ok: true; caller: Caller } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' | 'audience' };

/** Checks a header the `audience` subgraph received with exactly `body`, sealed with any of `secrets`. */
export function verifyIdentity(
  secrets: AcceptedSecrets,
  header: string | undefined,
  body: string,
  audience: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): IdentityCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (!matchesAnySecret(secrets, signature, (secret) => mac(secret, payload, body))) return { ok: false, reason: 'mismatch' };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Number.isSafeInteger(claims.e) || !Array.isArray(claims.s) || typeof claims.a !== 'string') return { ok: false, reason: 'malformed' };
  if (claims.a !== audience) return { ok: false, reason: 'audience' };
  if (claims.e < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, caller: { partnerId: claims.p ?? null, scopes: claims.s, credentialId: claims.c ?? null } };
}

function mac(secret: string, payload: string, body: string): string {
  return macOverDigest(secret, payload, bodyDigest(body));
}

function macOverDigest(secret: string, payload: string, digest: string): string {
  return contextMac(secret, 'subgraph-identity', [payload, digest]);
}

export const hasScope = (caller: Caller, scope: string): boolean => caller.scopes.includes(scope);
