// `npm start`'s stand-in for a partner's server: it receives the demo
// partner's webhooks on POST /webhooks, checks each with the SDK as a partner
// would, and lists the last events it accepted on GET /events (JSON, newest
// first), so a local try can see what the graph sent. Until start.ts hands it
// the endpoint's secret it answers 503, which the graph retries.
import { createServer, type Server } from 'node:http';
import { BodyError, close, listen, readRawBody, sendJson } from '@interop/kit/server';
import { parseWebhookEvent, verifyWebhook, WEBHOOK_SIGNATURE_HEADER, type WebhookEventType } from '@interop/sdk/webhooks';

export const DEFAULT_DEMO_WEBHOOK_RECEIVER_PORT = 4005;
const MAX_BODY_BYTES = 1024 * 1024;

/** One accepted event, as GET /events lists it. */
export interface ReceivedWebhook {
  id: string;
  type: WebhookEventType;
  paymentId: string;
  paymentVersion: number;
  paymentStatus: string;
  refundId: string | null;
  /** When the event happened (ISO 8601). */
  createdAt: string;
  /** When it first arrived here (ISO 8601). */
  receivedAt: string;
  /** How many times it arrived: more than 1 after a retry whose answer was lost, or a redelivery. */
  deliveries: number;
}

export interface DemoWebhookReceiver {
  /** Where the graph should POST: `http://host:port/webhooks`. */
  webhookUrl: string;
  /** GET here for what arrived. */
  eventsUrl: string;
  /** The secrets deliveries are checked against (the endpoint's, newest first). */
  setSecrets(secrets: readonly string[]): void;
  /** What arrived, newest first. */
  events(): ReceivedWebhook[];
  /** Deliveries refused: a signature that did not verify, or a body that is not an event. */
  refused(): number;
  close(): Promise<void>;
}

export async function startDemoWebhookReceiver(options: { port: number; host?: string; maxEvents?: number; clock?: () => Date }): Promise<DemoWebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const maxEvents = options.maxEvents ?? 100;
  const clock = options.clock ?? (() => new Date());
  let secrets: readonly string[] = [];
  let refusedCount = 0;
  // Newest first, at most maxEvents; an event delivered again is counted on its entry, not listed twice.
  const received: ReceivedWebhook[] = [];

  async function receive(rawBody: string, signature: string | string[] | undefined): Promise<number> {
    if (secrets.length === 0) return 503;
    if (!verifyWebhook(secrets, rawBody, signature).ok) {
      refusedCount += 1;
      return 400;
    }
    let event;
    try {
      event = parseWebhookEvent(rawBody);
    } catch {
      refusedCount += 1;
      return 400;
    }
    const known = received.find((entry) => entry.id === event.id);
    if (known) {
      known.deliveries += 1;
      return 200;
    }
    received.unshift({
      id: event.id,
      type: event.type,
      paymentId: event.data.payment.id,
      paymentVersion: event.paymentVersion,
      paymentStatus: event.data.payment.status,
      refundId: 'refund' in event.data ? event.data.refund.id : null,
      createdAt: event.createdAt,
      receivedAt: clock().toISOString(),
      deliveries: 1,
    });
    received.length = Math.min(received.length, maxEvents);
    return 200;
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (req.method === 'GET' && path === '/events') return sendJson(res, 200, { events: received, refused: refusedCount });
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || path !== '/webhooks') return sendJson(res, 404, { error: 'not found' });
    readRawBody(req, MAX_BODY_BYTES)
      .then((raw) => receive(raw, req.headers[WEBHOOK_SIGNATURE_HEADER]))
      .then(
        (status) => sendJson(res, status, { received: status === 200 }),
        (error: unknown) => sendJson(res, error instanceof BodyError ? error.status : 500, { received: false }),
      );
  });
  const port = await listen(server, options.port, host);
  const base = `http://${host}:${port}`;
  return {
    webhookUrl: `${base}/webhooks`,
    eventsUrl: `${base}/events`,
    setSecrets: (next) => {
      secrets = [...next];
    },
    events: () => received.map((entry) => ({ ...entry })),
    refused: () => refusedCount,
    close: () => close(server, 0),
  };
}
