// What the gateway knows about each request while planning and fetching.
import { randomUUID } from 'node:crypto';
import { requestScope } from '@interop/kit';

export interface GatewayContext {
  /** Also sent back in the `x-request-id` response header and to every subgraph. */
  requestId: string;
}

/** The request's id, as the HTTP layer chose it (the client's, when well formed). */
export function gatewayContext(): GatewayContext {
  return { requestId: requestScope.getStore()?.requestId ?? randomUUID() };
}
