// What the gateway knows about each request while planning and fetching.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GatewayContext {
  /** Also sent back in the `x-request-id` response header and to every subgraph. */
  requestId: string;
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a well-formed `x-request-id` from the client (so its logs join ours), otherwise makes one. */
export function gatewayContext(req: IncomingMessage, res: ServerResponse): GatewayContext {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', requestId);
  return { requestId };
}
