// The sandbox wallet's HTTP server. Signed API for payments (create, read,
// cancel, refund), pages and form endpoints for the buyer (approve, decline,
// each with the page's form token), and webhooks back to payments for every
// decision.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLogger, parseJsonOrUndefined, z, type Logger } from '@interop/kit';
import { BodyError, close, listen, readiness, readRawBody, sendJson } from '@interop/kit/server';
import { everyAcceptedSecret, verifyRequest } from '@interop/kit/security';
import type { Database } from '@interop/kit/db';
import { FORM_TOKEN_FIELD, formToken, validFormToken } from './form-token';
import { OrderBook, reportedStatus, type Outcome } from './orders';
import { FAVICON_PATH, FAVICON_SVG, messagePage, orderPage, PAGE_POLICY } from './page';
import { openWalletDatabase } from './store';
import { WebhookSender } from './webhooks';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Every page: never inside another site's frame, where a buyer could be led
 * to press a button they cannot see, and no script but the page's own.
 */
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY };

const orderRequest = z.object({
  paymentId: z.string().min(1),
  toolId: z.string().min(1),
  merchantId: z.string().min(1),
  platformId: z.string().min(1),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  reference: z.string(),
  expiresAt: z.iso.datetime(),
  notifyUrl: z.url(),
  // Shown to the buyer; optional, so a payments process that sends none still registers payments.
  merchantName: z.string().min(1).max(200).optional(),
  platformName: z.string().min(1).max(200).optional(),
});

const refundRequest = z.object({
  paymentId: z.string().min(1),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
});

/** A GET carries no body: its signature covers the empty string. */
const noBody = z.undefined().transform(() => ({}));

export interface WalletOptions {
  port: number;
  host: string;
  /** Shared with payments: verifies its API calls and signs webhooks and form tokens. */
  secret: string;
  /** Secrets whose API calls and form tokens are accepted besides `secret`'s, while it is rotated. */
  acceptedSecrets?: readonly string[];
  /** The wallet's books (see ./store); without one they live in memory and die with the wallet. */
  db?: Database;
  /** Whether stopping the wallet closes `db` (it always closes the in-memory books it opened itself). */
  closeDb?: boolean;
  logger?: Logger;
  /** First webhook retry delay, doubling up to `webhookMaxDelayMs`. */
  webhookMinDelayMs?: number;
  webhookMaxDelayMs?: number;
}

export interface RunningWallet {
  port: number;
  /** e.g. http://127.0.0.1:4004 */
  url: string;
  orders: OrderBook;
  webhooks: WebhookSender;
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, id: string) => Promise<void>;

export async function startWallet(options: WalletOptions): Promise<RunningWallet> {
  const logger = options.logger ?? createLogger('wallet');
  const db = options.db ?? (await openWalletDatabase());
  const ownsDb = options.db === undefined || options.closeDb === true;
  const secrets = everyAcceptedSecret(options.secret, options.acceptedSecrets);
  const orders = new OrderBook(db);
  const webhooks = new WebhookSender(db, {
    secret: options.secret,
    logger,
    ...(options.webhookMinDelayMs === undefined ? {} : { minDelayMs: options.webhookMinDelayMs }),
    ...(options.webhookMaxDelayMs === undefined ? {} : { maxDelayMs: options.webhookMaxDelayMs }),
  });

  /**
   * Reads and verifies a signed API call's JSON body, signed over its method
   * and path too, so a call for one payment or refund id does nothing for
   * another; answers 401/400 itself and returns undefined.
   */
  async function signedJson<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw = await readRawBody(req, MAX_BODY_BYTES);
    const check = verifyRequest(secrets, 'wallet-api', req, raw);
    if (!check.ok) {
      sendJson(res, 401, { error: 'invalid signature', reason: check.reason });
      return undefined;
    }
    const parsed = schema.safeParse(parseJsonOrUndefined(raw));
    if (!parsed.success) {
      sendJson(res, 400, { error: 'malformed request' });
      return undefined;
    }
    return parsed.data;
  }

  function answer<T>(res: ServerResponse, outcome: Outcome<T>, body: (value: T) => unknown): void {
    if (outcome.ok) sendJson(res, 200, body(outcome.value));
    else sendJson(res, outcome.status, { error: outcome.error });
  }

  /**
   * Buyer actions answer a browser with a page and a script with JSON. The
   * form must carry the payment's token (from its page); without it nothing
   * changes and the answer is 403.
   */
  function decide(decision: 'APPROVED' | 'DECLINED'): Handler {
    return async (req, res, id) => {
      const form = new URLSearchParams(await readRawBody(req, MAX_BODY_BYTES));
      const wantsJson = (req.headers.accept ?? '').includes('application/json');
      // A page another wallet process rendered under the other secret of a rotation still works.
      if (!validFormToken(secrets, id, form.get(FORM_TOKEN_FIELD))) {
        if (wantsJson) return sendJson(res, 403, { error: 'invalid form token' });
        res.writeHead(403, HTML_HEADERS);
        res.end(messagePage('Not possible', 'This form did not come from the payment’s page. Open the payment again and decide there.'));
        return;
      }
      const outcome = await orders.decide(id, decision);
      if (outcome.ok && outcome.value.changed) webhooks.send(id);
      if (wantsJson) return answer(res, outcome, ({ order }) => ({ paymentId: order.paymentId, status: order.status }));
      const [status, title, message] = outcome.ok
        ? [200, decision === 'APPROVED' ? 'Payment approved' : 'Payment declined', 'You can close this page and return to the shop.']
        : [outcome.status, 'Not possible', outcome.error];
      res.writeHead(status, HTML_HEADERS);
      res.end(messagePage(title, message));
    };
  }

  const routes: [method: string, pattern: RegExp, handler: Handler][] = [
    [
      'PUT',
      /^\/v1\/payments\/([^/]+)$/,
      async (req, res, id) => {
        const request = await signedJson(req, res, orderRequest);
        if (!request) return;
        if (request.paymentId !== id) return sendJson(res, 400, { error: 'id mismatch' });
        answer(res, await orders.create(request), (order) => ({ paymentId: order.paymentId, status: order.status }));
      },
    ],
    [
      // Where a payment stands, for payments to reconcile when a webhook did not arrive.
      'GET',
      /^\/v1\/payments\/([^/]+)$/,
      async (req, res, id) => {
        if ((await signedJson(req, res, noBody)) === undefined) return;
        const order = await orders.get(id);
        if (!order) return sendJson(res, 404, { error: 'unknown payment' });
        sendJson(res, 200, { paymentId: order.paymentId, status: reportedStatus(order), amountMinor: order.amountMinor, currency: order.currency });
      },
    ],
    [
      'POST',
      /^\/v1\/payments\/([^/]+)\/cancel$/,
      async (req, res, id) => {
        if ((await signedJson(req, res, z.object({}))) === undefined) return;
        answer(res, await orders.cancel(id), (order) => ({ paymentId: order.paymentId, status: order.status }));
      },
    ],
    [
      'PUT',
      /^\/v1\/refunds\/([^/]+)$/,
      async (req, res, id) => {
        const request = await signedJson(req, res, refundRequest);
        if (!request) return;
        answer(res, await orders.refund(id, request), () => ({ refundId: id, status: 'SUCCEEDED' }));
      },
    ],
    [
      'GET',
      /^\/sandbox\/payments\/([^/]+)$/,
      async (req, res, id) => {
        const order = await orders.get(id);
        // A script reads the form token here (another site's script cannot: no CORS), a browser from the page's forms.
        if ((req.headers.accept ?? '').includes('application/json')) {
          if (!order) return sendJson(res, 404, { error: 'unknown payment' });
          return sendJson(res, 200, { paymentId: order.paymentId, status: order.status, [FORM_TOKEN_FIELD]: formToken(options.secret, order.paymentId) });
        }
        res.writeHead(order ? 200 : 404, HTML_HEADERS);
        res.end(order ? orderPage(order, formToken(options.secret, order.paymentId)) : messagePage('Unknown payment', 'The wallet has no payment with this id.'));
      },
    ],
    ['POST', /^\/sandbox\/payments\/([^/]+)\/approve$/, decide('APPROVED')],
    ['POST', /^\/sandbox\/payments\/([^/]+)\/decline$/, decide('DECLINED')],
  ];

  const ready = readiness('wallet', () => db.query('SELECT 1'));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') return sendJson(res, 200, { status: 'ok', service: 'wallet' });
    if (path === '/ready') return void ready.route(req, res);
    if (path === FAVICON_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
      return void res.end(req.method === 'HEAD' ? undefined : FAVICON_SVG);
    }
    for (const [method, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (!match?.[1] || req.method !== method) continue;
      handler(req, res, decodeURIComponent(match[1])).catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof BodyError) return sendJson(res, error.status, { error: error.message });
        logger.error({ err: error }, 'wallet request failed');
        sendJson(res, 500, { error: 'Internal error' });
      });
      return;
    }
    sendJson(res, 404, { error: 'Not found' });
  });

  let port: number;
  try {
    port = await listen(server, options.port, options.host);
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  await webhooks.resume();
  // Last, so that a process manager that waits for this line finds the wallet ready, signals included.
  logger.info({ port }, 'sandbox wallet listening');
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}`,
    orders,
    webhooks,
    stop() {
      stopping ??= (async () => {
        ready.stopping();
        await webhooks.stop();
        await close(server);
        if (ownsDb) await db.close();
      })();
      return stopping;
    },
  };
}

export { openWalletDatabase } from './store';
