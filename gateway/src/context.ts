// What the gateway knows about each request while planning and fetching.
import { randomUUID } from 'node:crypto';
import { requestScope } from '@interop/kit';
import type { Caller } from '@interop/kit/security';
import type { NormalisedSource } from './alias-normalisation';

export interface GatewayContext {
  /** Also sent back in the `x-request-id` response header and to every subgraph. */
  requestId: string;
  /** Who is calling; every subgraph request carries it, signed. */
  caller: Caller;
  /** Set when aliases were cut from the operation: how to answer in the client's names. */
  aliases?: NormalisedSource;
  /** The operation is one of the gateway's trusted documents (see trusted-documents). */
  trustedDocument?: boolean;
  /** The gateway's own warm-up (see warm-up.ts): never answered from the response cache, counted or logged. */
  warmUp?: boolean;
}

/** The request's id, as the HTTP layer chose it (the client's, when well formed), and its caller. */
export function gatewayContext(caller: Caller, aliases?: NormalisedSource, trustedDocument = false): GatewayContext {
  return { requestId: requestScope.getStore()?.requestId ?? randomUUID(), caller, ...(aliases ? { aliases } : {}), ...(trustedDocument ? { trustedDocument } : {}) };
}
