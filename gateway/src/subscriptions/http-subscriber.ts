// Who sends a subscription over HTTP (Server-Sent Events, multipart): the
// request's headers authenticate it exactly as they would a query, and a
// refusal is answered as a query's would be.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestScope, type Logger } from '@interop/kit';
import { sendJson } from '@interop/kit/server';
import { GatewayErrorCode } from '../__generated__/error-codes';
import { quotaKeyOf, refusalCode, type Authenticate } from './credentials';
import type { Subscriber } from './live-subscriptions';

export interface HttpSubscriberOptions {
  authenticate: Authenticate;
  /** The client's address, as the HTTP server reads it (see client-address). */
  clientAddress: (req: IncomingMessage) => string;
  logger: Logger;
}

/** The subscriber; or null once `res` is answered: 401 UNAUTHENTICATED, or 403 with the refusal's code, for bad credentials. */
export async function httpSubscriber(req: IncomingMessage, res: ServerResponse, options: HttpSubscriberOptions): Promise<Subscriber | null> {
  try {
    const caller = await options.authenticate(req.headers);
    const address = options.clientAddress(req);
    return { caller, address, quotaKey: quotaKeyOf(caller, address), requestId: requestScope.getStore()?.requestId ?? randomUUID() };
  } catch (error) {
    const code = refusalCode(error);
    if (!code) {
      options.logger.error({ err: error }, 'subscriber authentication failed');
      sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } }] });
    } else {
      sendJson(res, code === 'UNAUTHENTICATED' ? 401 : 403, { errors: [{ message: (error as Error).message, extensions: { code } }] });
    }
    return null;
  }
}
