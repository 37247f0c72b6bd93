// Delivers the wallet's notifications to payments: signed, in order per
// payment, retried with back-off until acknowledged. A 4xx answer means the
// receiver refused the event for good (bad signature, unknown payment), so
// retrying would not help; 5xx and network failures are retried.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signatureHeader, SIGNATURE_HEADER, type Logger } from '@interop/kit';
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

export class WebhookSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly stopped = new AbortController();

  constructor(private readonly options: WebhookOptions) {}

  /** Queues events for one payment; each is sent only after the previous one was acknowledged. */
  send(order: Order, types: readonly WalletEventType[]): void {
    const previous = this.chains.get(order.paymentId) ?? Promise.resolve();
    const next = types.reduce<Promise<void>>((chain, type) => chain.then(() => this.deliver(order, type)), previous);
    this.chains.set(order.paymentId, next);
    void next.finally(() => {
      if (this.chains.get(order.paymentId) === next) this.chains.delete(order.paymentId);
    });
  }

  /** Resolves once every queued event was delivered or given up. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  stop(): void {
    this.stopped.abort();
  }

  private async deliver(order: Order, type: WalletEventType): Promise<void> {
    const body = JSON.stringify({
      eventId: `evt_${randomUUID().replace(/-/g, '')}`,
      type,
      paymentId: order.paymentId,
      amountMinor: order.amountMinor,
      currency: order.currency,
      occurredAt: new Date().toISOString(),
    });
    const { logger } = this.options;
    // A plain loop rather than a retry library: its back-off waits must end at
    // once when the wallet stops, which needs the abort signal on the sleep.
    let delay = this.options.minDelayMs ?? 200;
    for (let attempt = 1; !this.stopped.signal.aborted; attempt += 1) {
      try {
        const response = await fetch(order.notifyUrl, {
          method: 'POST',
          // Signed per attempt, so a retry long after the first try is not refused as stale.
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(this.options.secret, { context: 'wallet-webhook', body }) },
          body,
          signal: AbortSignal.any([this.stopped.signal, AbortSignal.timeout(this.options.timeoutMs ?? 5000)]),
        });
        await response.arrayBuffer();
        if (response.ok) {
          logger.info({ paymentId: order.paymentId, type, attempt }, 'webhook delivered');
          return;
        }
        const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
        if (!retryable) {
          logger.error({ paymentId: order.paymentId, type, status: response.status }, 'webhook refused; not retried');
          return;
        }
      } catch (error) {
        logger.warn({ paymentId: order.paymentId, type, attempt, err: error }, 'webhook failed; retrying');
      }
      await sleep(delay, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      delay = Math.min(delay * 2, this.options.maxDelayMs ?? 30_000);
    }
  }
}
