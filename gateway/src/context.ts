// What the gateway knows about each request while planning and fetching.
import { randomUUID } from 'node:crypto';
import { requestScope, type Caller } from '@interop/kit';

export interface GatewayContext {
  /** Also sent back in the `x-request-id` response header and to every subgraph. */
  requestId: string;
  /** Who is calling; every subgraph request carries it, signed. */
  caller: Caller;
}

/** The request's id, as the HTTP layer chose it (the client's, when well formed), and its caller. */
export function gatewayContext(caller: Caller): GatewayContext {
  return { requestId: requestScope.getStore()?.requestId ?? randomUUID(), caller };
}
