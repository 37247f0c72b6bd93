// The delivery worker: outside request handling, it claims deliveries due
// (WebhookStore.claimDue: FOR UPDATE SKIP LOCKED with a lease, and a
// payment's events in version order), signs and sends each, and records the
// attempt with what comes next (delivered, a retry at its back-off, or given
// up). It looks every `pollMs`, at once when told of a commit (`nudge`), and
// after an attempt that may have let another through.
// `stop` stops claiming and waits for the attempts in flight.
import type { Logger } from '@interop/kit';
import { signWebhookPayload, PARTNER_WEBHOOK_SIGNATURE_HEADER } from '@interop/kit/security';
import type { ClaimedDelivery, WebhookEventRow, WebhookStore } from '../store/webhook-store';
import { nextAttemptAt } from './backoff';
import type { WebhookMetrics } from './metrics';
import { sendWebhook } from './sender';
import type { WebhookSettings } from './settings';

export const WEBHOOK_USER_AGENT = 'InteropGraph-Webhooks/1.0';

/** The body partners receive: compact JSON, the same bytes in every attempt of an event. */
export function webhookBody(event: WebhookEventRow): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    paymentVersion: event.paymentVersion,
    data: JSON.parse(event.payload) as unknown,
  });
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private filling: Promise<void> | undefined;
  /** Fills started so far: a fill since a delivery was claimed may have passed over what it held back. */
  private fills = 0;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: WebhookStore,
    private readonly settings: WebhookSettings,
    private readonly metrics: WebhookMetrics,
    private readonly logger: Logger,
  ) {}

  /** A claim outlives the longest attempt, so only a process that died mid-attempt lets it lapse. */
  get leaseMs(): number {
    return this.settings.timeoutMs * 2 + 1000;
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.settings.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /** Looks for deliveries due now (after a commit that may have queued some). */
  nudge(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill()
      .catch((error: unknown) => this.logger.error({ err: error }, 'webhook delivery: claiming failed'))
      .finally(() => {
        this.filling = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.filling;
    await Promise.all(this.inFlight);
  }

  private async fill(): Promise<void> {
    const fill = ++this.fills;
    for (;;) {
      const free = this.settings.concurrency - this.inFlight.size;
      if (free <= 0 || this.stopped) return;
      const claimed = await this.store.claimDue(free, this.leaseMs);
      const full = claimed.length === free;
      for (const delivery of claimed) {
        const attempt = this.attempt(delivery)
          .catch((error: unknown) => this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook delivery: recording the attempt failed; retried when its claim lapses'))
          .finally(() => {
            this.inFlight.delete(attempt);
            // Looks again only when there may be something to find: more was due than there was room for, the
            // payment's next event waited for this one, or a fill since passed over what this one held back.
            // Anything else that falls due is told by its commit (`nudge`) or found by the poll.
            if (full || delivery.blocksLater || this.fills !== fill) this.nudge();
          });
        this.inFlight.add(attempt);
      }
      if (claimed.length < free) return;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = webhookBody(delivery.event);
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'interop-event-id': delivery.event.id,
      'interop-event-type': delivery.event.type,
      [PARTNER_WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(delivery.secrets, Math.floor(at.getTime() / 1000), body),
    };
    const result = await sendWebhook(delivery.url, headers, body, {
      timeoutMs: this.settings.timeoutMs,
      policy: { allowInsecure: this.settings.allowInsecure, allowPrivate: this.settings.allowPrivate },
    });
    const retryAt = result.delivered ? null : nextAttemptAt(delivery.attempts + 1, new Date(delivery.createdAt), new Date(), this.settings);
    const recorded = await this.store.recordAttempt(delivery, { ...result, at, retryAt }, this.settings.disableAfterFailures);
    this.metrics.record(recorded.status === 'DELIVERED' ? 'delivered' : recorded.status === 'PENDING' ? 'retry' : 'failed', result.durationMs);
    const log = { deliveryId: delivery.id, eventId: delivery.event.id, endpointId: delivery.endpointId, statusCode: result.statusCode, error: result.error, status: recorded.status };
    if (recorded.disabled) this.logger.warn(log, 'webhook endpoint disabled after a run of given-up deliveries');
    else if (result.delivered) this.logger.debug(log, 'webhook delivered');
    else this.logger.info(log, 'webhook attempt failed');
  }
}
