// Delivers the wallet's notifications to payments: signed, in order per
// payment, retried with back-off until acknowledged. Each is queued in the
// wallet's database with the decision that caused it and marked done once
// answered, so a restarted wallet resumes what it still owed. A 4xx answer
// means the receiver refused the event for good (bad signature, unknown
// payment), so retrying would not help; 5xx and network failures are retried.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@interop/kit';
import { signatureHeader, SIGNATURE_HEADER } from '@interop/kit/security';
import type { Database, Queryable } from '@interop/kit/db';
import type { Order } from './orders';

export type WalletEventType = 'payment.processing' | 'payment.succeeded' | 'payment.failed';

export interface WebhookOptions {
  secret: string;
  logger: Logger;
  /** First retry delay; doubles each time up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

interface QueuedWebhook {
  seq: number;
  paymentId: string;
  notifyUrl: string;
  body: string;
}

/** Queues `types` for the order, in `tx`: they are owed once it commits. */
export async function queueWebhooks(tx: Queryable, order: Order, types: readonly WalletEventType[]): Promise<void> {
  for (const type of types) {
    const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
    const body = JSON.stringify({
      eventId,
      type,
      paymentId: order.paymentId,
      amountMinor: order.amountMinor,
      currency: order.currency,
      occurredAt: new Date().toISOString(),
    });
    await tx.query('INSERT INTO webhook_outbox (event_id, payment_id, notify_url, body) VALUES ($1, $2, $3, $4)', [
      eventId,
      order.paymentId,
      order.notifyUrl,
      body,
    ]);
  }
}

export class WebhookSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly stopped = new AbortController();

  constructor(
    private readonly db: Database,
    private readonly options: WebhookOptions,
  ) {}

  /** Starts delivering what is still owed, e.g. from before a restart. */
  async resume(): Promise<void> {
    const rows = await this.db.query<{ paymentId: string }>(
      `SELECT DISTINCT payment_id AS "paymentId" FROM webhook_outbox WHERE state = 'PENDING'`,
    );
    for (const { paymentId } of rows) this.send(paymentId);
  }

  /** Delivers the payment's queued events; each is sent only after the previous one was acknowledged. */
  send(paymentId: string): void {
    const previous = this.chains.get(paymentId) ?? Promise.resolve();
    const next = previous.then(() => this.drain(paymentId));
    this.chains.set(paymentId, next);
    void next.finally(() => {
      if (this.chains.get(paymentId) === next) this.chains.delete(paymentId);
    });
  }

  /** Resolves once every queued event was delivered or given up (or the sender stopped). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  /** Stops delivering and waits for deliveries under way to end; what is left stays queued. */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.idle();
  }

  private async drain(paymentId: string): Promise<void> {
    try {
      while (!this.stopped.signal.aborted) {
        const [webhook] = await this.db.query<QueuedWebhook>(
          `SELECT seq, payment_id AS "paymentId", notify_url AS "notifyUrl", body FROM webhook_outbox
           WHERE payment_id = $1 AND state = 'PENDING' ORDER BY seq LIMIT 1`,
          [paymentId],
        );
        if (!webhook) return;
        const outcome = await this.deliver(webhook);
        if (!outcome) return;
        await this.db.query('UPDATE webhook_outbox SET state = $2, done_at = now() WHERE seq = $1', [webhook.seq, outcome]);
      }
    } catch (error) {
      // The queue stays as it was; the next decision or restart picks it up again.
      this.options.logger.error({ paymentId, err: error }, 'webhook queue failed');
    }
  }

  /** Sends one event until it is answered; undefined when the sender stopped first. */
  private async deliver({ paymentId, notifyUrl, body }: QueuedWebhook): Promise<'DELIVERED' | 'REFUSED' | undefined> {
    const { logger } = this.options;
    const { type } = JSON.parse(body) as { type: WalletEventType };
    // A plain loop rather than a retry library: its back-off waits must end at
    // once when the wallet stops, which needs the abort signal on the sleep.
    let delay = this.options.minDelayMs ?? 200;
    for (let attempt = 1; !this.stopped.signal.aborted; attempt += 1) {
      try {
        const response = await fetch(notifyUrl, {
          method: 'POST',
          // Signed per attempt, so a retry long after the first try is not refused as stale.
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(this.options.secret, { context: 'wallet-webhook', body }) },
          body,
          signal: AbortSignal.any([this.stopped.signal, AbortSignal.timeout(this.options.timeoutMs ?? 5000)]),
        });
        await response.arrayBuffer();
        if (response.ok) {
          logger.info({ paymentId, type, attempt }, 'webhook delivered');
          return 'DELIVERED';
        }
        const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
        if (!retryable) {
          logger.error({ paymentId, type, status: response.status }, 'webhook refused; not retried');
          return 'REFUSED';
        }
      } catch (error) {
        if (this.stopped.signal.aborted) return undefined;
        logger.warn({ paymentId, type, attempt, err: error }, 'webhook failed; retrying');
      }
      await sleep(delay, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      delay = Math.min(delay * 2, this.options.maxDelayMs ?? 30_000);
    }
    return undefined;
  }
}
