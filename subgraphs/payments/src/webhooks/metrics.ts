// Prometheus metrics of partner webhooks, on payments' /metrics: attempts by
// outcome, and at each scrape the queue as the database holds it (shared by
// every payments process): deliveries pending, how long the oldest due one
// has waited past its time, and the age of the oldest undelivered event.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '@interop/kit';
import { metricsRoute, type Route } from '@interop/kit/server';
import type { WebhookStore } from '../store/webhook-store';

export type AttemptOutcomeLabel = 'delivered' | 'retry' | 'failed';

export class WebhookMetrics {
  readonly registry = new Registry();
  readonly attempts = new Counter({
    name: 'payments_webhook_deliveries_total',
    help: 'Partner webhook attempts by outcome: delivered (2xx), retry (failed, tried again later), failed (given up).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'payments_webhook_attempt_duration_seconds',
    help: 'Time of each partner webhook attempt, to the end of the answer or the timeout.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly pending = new Gauge({ name: 'payments_webhook_pending_deliveries', help: 'Partner webhook deliveries not yet delivered nor given up.', registers: [this.registry] });
  private readonly queueAge = new Gauge({
    name: 'payments_webhook_queue_age_seconds',
    help: 'How long the longest-waiting due delivery has waited past its time (0 when the workers keep up).',
    registers: [this.registry],
  });
  private readonly oldestEvent = new Gauge({
    name: 'payments_webhook_oldest_undelivered_event_age_seconds',
    help: 'Age of the oldest event with a delivery still pending.',
    registers: [this.registry],
  });

  constructor() {
    collectProcessMetrics(this.registry, 'payments_');
  }

  record(outcome: AttemptOutcomeLabel, durationMs: number): void {
    this.attempts.inc({ outcome });
    this.duration.observe(durationMs / 1000);
  }

  /** GET /metrics: the queue read once per scrape, then every metric. */
  route(store: WebhookStore): Route {
    return metricsRoute(this.registry, async () => {
      try {
        const stats = await store.queueStats();
        this.pending.set(stats.pending);
        this.queueAge.set(stats.oldestDueWaitSeconds);
        this.oldestEvent.set(stats.oldestPendingEventAgeSeconds);
      } catch {
        // The database did not answer: the process metrics are still worth serving; the queue's stay as last read.
      }
    });
  }
}
