// JWT bearer tokens, the alternative to API keys for partners with their own
// identity provider: HS256 with a shared secret or RS256 against a JWKS file,
// verified with `jose` (signature, expiry, issuer, audience), and the claims
// mapped to the same partner id and scopes an API key carries.
import { readFileSync } from 'node:fs';
import type { Caller } from '@interop/kit/security';

export interface JwtOptions {
  /** `iss` the token must carry, when set. */
  issuer?: string | undefined;
  /** `aud` the token must carry. */
  audience: string;
  /** HS256: the shared secret (at least 32 bytes). */
  hs256Secret?: string | undefined;
  /** RS256: a JSON Web Key Set file with the issuer's public keys. */
  jwksFile?: string | undefined;
  /** The claim that names the partner; `partner_id` by default. */
  partnerClaim?: string | undefined;
  /** The claim with the scopes, a space-separated string (`scope`) or an array (`scp`); `scope` by default. */
  scopesClaim?: string | undefined;
  /** Tolerated clock difference in seconds. */
  clockToleranceSeconds?: number | undefined;
}

export type JwtVerifier = (token: string) => Promise<Caller | null>;

// jose is ESM only; loaded once, when a gateway with JWT settings starts.
const loadJose = () => import('jose');

export async function createJwtVerifier(options: JwtOptions): Promise<JwtVerifier> {
  const jose = await loadJose();
  let key: Parameters<typeof jose.jwtVerify>[1];
  let algorithms: string[];
  if (options.jwksFile) {
    key = jose.createLocalJWKSet(JSON.parse(readFileSync(options.jwksFile, 'utf8')) as Parameters<typeof jose.createLocalJWKSet>[0]);
    algorithms = ['RS256'];
  } else if (options.hs256Secret) {
    key = new TextEncoder().encode(options.hs256Secret);
    algorithms = ['HS256'];
  } else {
    throw new Error('JWT settings need hs256Secret or jwksFile');
  }
  const partnerClaim = options.partnerClaim ?? 'partner_id';
  const scopesClaim = options.scopesClaim ?? 'scope';
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, key, {
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp'],
        ...(options.issuer ? { issuer: options.issuer } : {}),
      }));
    } catch {
      // Expired, not yet valid, wrong audience or issuer, bad signature, malformed: all the same to the caller.
      return null;
    }
    const partnerId = payload[partnerClaim];
    if (typeof partnerId !== 'string' || partnerId.length === 0) return null;
    const scopes = payload[scopesClaim];
    return {
      partnerId,
      scopes: typeof scopes === 'string' ? scopes.split(' ').filter(Boolean) : Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
      credentialId: `jwt:${typeof payload.sub === 'string' ? payload.sub : partnerId}`,
    };
  };
}
