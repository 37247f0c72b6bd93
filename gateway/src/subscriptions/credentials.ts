// Who a subscriber is. Subscriptions authenticate exactly as queries do, with
// the gateway's `authenticate`; this module only finds the headers to give it.
// A browser cannot set headers on a WebSocket, so graphql-ws clients (Apollo
// Sandbox among them) send credentials in the connection_init payload instead,
// in one of the shapes below; other clients may send them on the upgrade request.
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, type Caller } from '@interop/kit/security';

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Who is calling, from request headers; throws a GraphQLError (code UNAUTHENTICATED) for bad credentials. */
export type Authenticate = (headers: RequestHeaders) => Promise<Caller>;

/** Until partners have credentials, every caller is anonymous. */
export const anonymousCallers: Authenticate = async () => ANONYMOUS;

/**
 * The upgrade request's headers with those from a connection_init payload on
 * top: `{ authorization }`, `{ Authorization }`, `{ "x-api-key" }` or
 * `{ headers: { ... } }`. Names are matched without regard to case; only
 * string values count.
 */
export function connectionHeaders(upgrade: IncomingHttpHeaders, payload: Readonly<Record<string, unknown>> | undefined): RequestHeaders {
  const headers: RequestHeaders = { ...upgrade };
  const take = (source: unknown) => {
    if (!source || typeof source !== 'object' || Array.isArray(source)) return;
    for (const [name, value] of Object.entries(source)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
  };
  take(payload);
  take(payload?.['headers']);
  return headers;
}

/** What a subscriber counts against: its credential, or its address when it has none. */
export function quotaKeyOf(caller: Caller, address: string | undefined): string {
  return caller.credentialId ? `credential:${caller.credentialId}` : `address:${address ?? 'unknown'}`;
}

/** The stable code of an authentication refusal, or null when `error` is a failure of ours (logged, never shown). */
export function refusalCode(error: unknown): string | null {
  const code = error instanceof GraphQLError ? error.extensions['code'] : undefined;
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? code : null;
}
