// Who is calling the gateway: an API key (`Authorization: Bearer <key>` or
// `X-Api-Key`), a JWT bearer token, or nobody. No credential is anonymous (the
// public facts need none); a credential that does not check out is refused
// outright, so a typo never silently becomes an anonymous call.
import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { ANONYMOUS, type Caller } from '@interop/kit/security';
import { GatewayErrorCode } from '../__generated__/error-codes';
import { ApiKeys, type ApiKeyRecord } from './api-keys';
import { createJwtVerifier, type JwtOptions, type JwtVerifier } from './jwt';

export interface AuthOptions {
  apiKeys: readonly ApiKeyRecord[];
  jwt?: JwtOptions | undefined;
}

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A JWT is three base64url segments; API keys never contain dots. */
const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

const first = (value: string | readonly string[] | undefined) => (typeof value === 'string' ? value : value?.[0]);

export function unauthenticatedRequest(message: string): GraphQLError {
  // A challenge as RFC 6750 describes; Apollo Server answers with this status when the context throws it.
  const headers = new HeaderMap([['www-authenticate', 'Bearer realm="interop-graph"']]);
  return new GraphQLError(message, { extensions: { code: GatewayErrorCode.UNAUTHENTICATED, http: { status: 401, headers } } });
}

export class Authenticator {
  private constructor(
    private readonly keys: ApiKeys,
    private readonly jwt: JwtVerifier | null,
  ) {}

  static async create(options: AuthOptions): Promise<Authenticator> {
    return new Authenticator(new ApiKeys(options.apiKeys), options.jwt ? await createJwtVerifier(options.jwt) : null);
  }

  /** The caller the headers prove; throws UNAUTHENTICATED (HTTP 401) for a credential that does not check out. */
  async authenticate(headers: RequestHeaders): Promise<Caller> {
    const authorization = first(headers['authorization']);
    const apiKey = first(headers['x-api-key']);
    if (authorization === undefined && apiKey === undefined) return ANONYMOUS;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!bearer) throw unauthenticatedRequest('The Authorization header must be `Bearer <API key or token>`.');
      return this.fromToken(bearer);
    }
    return this.fromApiKey(apiKey ?? '');
  }

  private async fromToken(token: string): Promise<Caller> {
    if (!looksLikeJwt(token)) return this.fromApiKey(token);
    const caller = this.jwt ? await this.jwt(token) : null;
    if (!caller) throw unauthenticatedRequest('The bearer token is not valid here: expired, for another audience, or badly signed.');
    return caller;
  }

  private fromApiKey(key: string): Caller {
    const caller = this.keys.lookup(key);
    if (!caller) throw unauthenticatedRequest('Unknown API key.');
    return caller;
  }
}
