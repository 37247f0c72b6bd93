// A partner's webhook receiver for tests: a real HTTP server on a port the OS
// picks, recording every request (raw body and headers) and answering as the
// test says (a status, after an optional delay or a gate). `verifyPartnerSignature`
// checks the signature header with its own HMAC code, as a partner would, so a
// test does not only check the signer against itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PartnerEvent {
  id: string;
  type: string;
  createdAt: string;
  paymentVersion: number;
  data: {
    payment: { id: string; status: string; amount: { amountMinor: number; currency: string }; refundedAmount: { amountMinor: number }; merchantId: string; refunds: { id: string; status: string }[] };
    refund?: { id: string; status: string; amount: { amountMinor: number; currency: string } };
  };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  event: PartnerEvent;
  /** Which request this was, from 1. */
  n: number;
}

/** How the receiver answers one request: a status, or a promise of one (to hold the answer back). */
export type Answer = (request: ReceivedWebhook) => number | Promise<number>;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Replaces how later requests are answered. */
  answerWith(answer: Answer): void;
  /** Resolves once `check` holds over what arrived, polling every 20 ms; rejects past `timeoutMs`. */
  until(check: (received: readonly ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(answer: Answer = () => 200): Promise<WebhookReceiver> {
  let answering = answer;
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedWebhook = { headers: req.headers, rawBody, event: JSON.parse(rawBody) as PartnerEvent, n: received.length + 1 };
      received.push(request);
      Promise.resolve(answering(request)).then(
        (status) => {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status >= 200 && status < 300 ? 'ok' : 'not now');
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answerWith: (next) => (answering = next),
    async until(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in time; got ${received.map((r) => `${r.event.type}@${r.event.data.payment.id}`).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The secrets among `secrets` whose signature the header carries for this body, checked as a partner's receiver would. */
export function signedWith(secrets: readonly string[], header: string | string[] | undefined, rawBody: string, toleranceSeconds = 300): string[] {
  if (typeof header !== 'string') return [];
  const parts = header.split(',').map((part) => part.split('=') as [string, string]);
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return [];
  const given = parts.filter(([key]) => key === 'v1').map(([, hex]) => Buffer.from(hex, 'hex'));
  return secrets.filter((secret) => {
    const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
    return given.some((mac) => mac.length === expected.length && timingSafeEqual(mac, expected));
  });
}
