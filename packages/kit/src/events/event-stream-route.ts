// Serves a process's event bus as a Server-Sent Events stream to its peers
// (a gateway following payments that run alone on embedded PGlite). Only
// callers holding the shared secret may read it: each request carries a
// signature over its method and path, fresh within the signature tolerance.
// A reader that falls behind is cut off rather than buffered for.
import type { ServerResponse } from 'node:http';
import { sendJson, type Route } from '../http';
import type { Logger } from '../logger';
import { everyAcceptedSecret, signatureHeader, signatureOf, verifySignature, type SignedRequest } from '../signature';
import type { EventBus } from './event-bus';

export interface EventStreamRouteOptions {
  bus: EventBus;
  /** The route's path, e.g. `/events/payments`; part of what a reader signs. */
  path: string;
  secret: string;
  /** Secrets a reader may sign with besides `secret`, while it is rotated. */
  acceptedSecrets?: readonly string[];
  logger?: Logger;
  /** A comment line this often keeps proxies from closing a quiet stream and lets readers notice a dead one. */
  heartbeatMs?: number;
  /** Unsent bytes a reader may leave queued before it is cut off. */
  maxBufferedBytes?: number;
}

export interface EventStreamRoute {
  route: Route;
  /** Ends every open stream and refuses new ones; a stopping process calls it before draining. */
  close(): void;
}

export const DEFAULT_EVENT_STREAM_HEARTBEAT_MS = 15_000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

/** What a reader signs: the request line, as the route checks it. */
export const signedStreamRequest = (path: string): SignedRequest => ({ context: 'event-stream', method: 'GET', path, body: '' });

/** The header value that opens `path` on a peer sharing `secret`. */
export const eventStreamSignature = (secret: string, path: string): string => signatureHeader(secret, signedStreamRequest(path));

export function eventStreamRoute(options: EventStreamRouteOptions): EventStreamRoute {
  const open = new Set<ServerResponse>();
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_EVENT_STREAM_HEARTBEAT_MS;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const secrets = everyAcceptedSecret(options.secret, options.acceptedSecrets);
  let closed = false;

  const route: Route = (req, res) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET only' });
    const check = verifySignature(secrets, signedStreamRequest(options.path), signatureOf(req));
    if (!check.ok) {
      options.logger?.warn({ reason: check.reason }, 'event stream refused: signature');
      return sendJson(res, 401, { error: 'invalid signature', reason: check.reason });
    }
    if (closed) return sendJson(res, 503, { error: 'stopping' });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (chunk: string) => {
      if (res.writableEnded) return;
      res.write(chunk);
      if (res.writableLength > maxBuffered) {
        options.logger?.warn({ buffered: res.writableLength }, 'event stream reader too slow; cut off');
        res.destroy();
      }
    };
    // Subscribed before `ready` is sent, so the reader misses nothing published after it reads `ready`.
    const unsubscribe = options.bus.subscribe({
      message: (text) => send(`${text.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`),
      gap: () => send('event: gap\ndata:\n\n'),
    });
    send('event: ready\ndata:\n\n');
    const heartbeat = setInterval(() => send(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  };

  return {
    route,
    close() {
      closed = true;
      for (const res of open) res.end();
    },
  };
}
