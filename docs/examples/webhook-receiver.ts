import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookEvent, verifyWebhook, WEBHOOK_SIGNATURE_HEADER, type PartnerWebhookEvent } from '@interop/sdk/webhooks';

/** A delivery is a few kilobytes; anything far bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookReceiverOptions {
  /** Where to listen: 0 picks a free port. */
  port: number;
  host?: string;
  /** The endpoint's secret from createWebhookEndpoint; during a rotation, both: [newSecret, oldSecret]. */
  secret: string | readonly string[];
  /** Does what the event means for your orders. Runs once per event id; throw, and the graph sends the event again later. */
  onEvent(event: PartnerWebhookEvent): Promise<void>;
}

/** Resolves with the raw body exactly as sent, or null when it is too big to be a delivery. */
async function rawBodyOf(req: IncomingMessage): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Listens for `POST /webhooks`: checks the signature, then applies each event once and answers 200. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<{ url: string; close(): Promise<void> }> {
  // Use your database instead: a unique key on the event id, written in the transaction that applies the event.
  const applied = new Set<string>();

  async function handle(req: IncomingMessage): Promise<number> {
    if (req.method !== 'POST' || req.url !== '/webhooks') return 404;
    const rawBody = await rawBodyOf(req);
    if (rawBody === null) return 413;
    // Before parsing: the signature covers these exact bytes.
    const check = verifyWebhook(options.secret, rawBody, req.headers[WEBHOOK_SIGNATURE_HEADER]);
    if (!check.ok) return 400; // check.reason: missing, malformed, stale or mismatch
    const event = parseWebhookEvent(rawBody);
    if (applied.has(event.id)) return 200; // a repeated delivery: acknowledge, change nothing
    applied.add(event.id);
    try {
      await options.onEvent(event);
    } catch (error) {
      applied.delete(event.id);
      throw error;
    }
    return 200;
  }

  const server = createServer((req, res) => {
    handle(req).then(
      (status) => res.writeHead(status).end(),
      () => res.writeHead(500).end(), // the graph retries, with back-off
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/webhooks`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
