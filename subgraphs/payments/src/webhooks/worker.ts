// The delivery worker: outside request handling, it claims deliveries due
// (WebhookStore.claimDue: FOR UPDATE SKIP LOCKED with a lease, and a
// payment's events in version order), signs and sends each, and records the
// attempt with what comes next (delivered, a retry at its back-off, or given
// up); recording a delivered event claims the payment's next one, which is
// sent at once. A new payment's deliveries come claimed by the statement that
// wrote them, into room reserved for them (`reserve`, `take`): each
// endpoint's go out in turn, and are recorded together in one statement,
// shared with every other payment's that comes while one is being written.
// It looks every `pollMs`, at once when told of a commit (`nudge`), and after
// an attempt that may have let another through.
// `stop` stops claiming and waits for the attempts in flight.
import type { Logger } from '@interop/kit';
import { groupBy } from '@interop/kit/db';
import DataLoader from 'dataloader';
import { signWebhookPayload, PARTNER_WEBHOOK_SIGNATURE_HEADER } from '@interop/kit/security';
import type { DeliveryHand } from '../store/ledger';
import type { ClaimedDelivery, DeliveredAttempt, WebhookDeliveryStatus, WebhookEventRow, WebhookStore } from '../store/webhook-store';
import { nextAttemptAt } from './backoff';
import type { WebhookMetrics } from './metrics';
import { type AttemptResult, WebhookSender } from './sender';
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

export class DeliveryWorker implements DeliveryHand {
  private timer: NodeJS.Timeout | undefined;
  private filling: Promise<void> | undefined;
  /** Fills started so far: a fill since a delivery was claimed may have passed over what it held back. */
  private fills = 0;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Room promised to statements still running (`reserve`). */
  private reserved = 0;
  private readonly sender: WebhookSender;
  /** The statement recording delivered attempts now, if any (settled either way). */
  private recording: Promise<unknown> = Promise.resolve();
  /**
   * Delivered attempts share their recording statement: those that come while
   * one is being written wait for it, then go together in the next. That
   * happens on PostgreSQL under load; PGlite runs a statement on this very
   * thread, so nothing comes while one is written, and each goes alone.
   */
  private readonly recordings = new DataLoader<Recording, void>(
    (batch) => {
      const written = this.store.recordDelivered(
        batch.flatMap((recording) => recording.attempts),
        batch.flatMap((recording) => recording.unsent),
      );
      this.recording = written.catch(() => undefined);
      return written.then(() => batch.map(() => undefined));
    },
    { cache: false, maxBatchSize: MAX_RECORDED_TOGETHER, batchScheduleFn: (dispatch) => void this.recording.then(dispatch) },
  );

  constructor(
    private readonly store: WebhookStore,
    private readonly settings: WebhookSettings,
    private readonly metrics: WebhookMetrics,
    private readonly logger: Logger,
  ) {
    this.sender = new WebhookSender({ timeoutMs: settings.timeoutMs, policy: { allowInsecure: settings.allowInsecure, allowPrivate: settings.allowPrivate } });
  }

  /**
   * A claim outlives the longest attempts it covers, so only a process that
   * died mid-attempt lets it lapse: two, for a new payment's two events to
   * one endpoint, sent in turn under the claim its statement made.
   */
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

  /** Room for the deliveries a new payment's statement claims for this process: the lease, or null when full or stopping. */
  reserve(): number | null {
    if (this.stopped || this.inFlight.size + this.reserved >= this.settings.concurrency) return null;
    this.reserved += 1;
    return this.leaseMs;
  }

  release(): void {
    this.reserved -= 1;
  }

  /** Sends what a statement claimed into reserved room, each endpoint's deliveries of a payment in turn; a stopping worker leaves them to lapse to the next process. */
  take(claimed: readonly ClaimedDelivery[]): void {
    this.reserved -= 1;
    if (this.stopped) return;
    for (const chain of inTurn(claimed)) this.launch(chain, false, this.fills);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.filling;
    await Promise.all(this.inFlight);
    this.sender.close();
  }

  private async fill(): Promise<void> {
    const fill = ++this.fills;
    for (;;) {
      const free = this.settings.concurrency - this.inFlight.size - this.reserved;
      if (free <= 0 || this.stopped) return;
      const claimed = await this.store.claimDue(free, this.leaseMs);
      const full = claimed.length === free;
      for (const delivery of claimed) this.launch([delivery], full, fill);
      if (claimed.length < free) return;
    }
  }

  /** Sends claimed deliveries of one payment to one endpoint (and its payment's next ones) in a slot of their own. */
  private launch(chain: readonly ClaimedDelivery[], full: boolean, fill: number): void {
    const attempt = this.attemptInTurn(chain).then((holdsBack) => {
      this.inFlight.delete(attempt);
      // Looks again only when there may be something to find: more was due than there was room for, a
      // payment's next event waited for the last one sent and was not claimed with its recording, or a
      // fill since passed over what this one held back. Anything else that falls due is told by its commit
      // (`nudge`) or found by the poll.
      if (full || holdsBack || this.fills !== fill) this.nudge();
    });
    this.inFlight.add(attempt);
  }

  /**
   * Sends `claimed` in turn, then each next event of its payment that a
   * recording claimed (delivered, and the next due). Whether the last one
   * sent held back a later event that is still unclaimed.
   */
  private async attemptInTurn(claimed: readonly ClaimedDelivery[]): Promise<boolean> {
    let chain = claimed;
    for (;;) {
      try {
        const { last, next } = await this.sendInTurn(chain);
        if (!next) return last.blocksLater;
        chain = [next];
      } catch (error) {
        this.logger.error({ err: error, deliveryIds: chain.map((delivery) => delivery.id) }, 'webhook delivery: recording the attempt failed; retried when its claim lapses');
        return chain.some((delivery) => delivery.blocksLater);
      }
    }
  }

  /**
   * Sends `chain` (claimed, one payment's to one endpoint, in order), each
   * once the one before it was delivered, and records what came of them:
   * those delivered and the claims of those not sent in one statement,
   * however many. The last one sent, and its payment's next delivery when
   * its recording claimed that.
   */
  private async sendInTurn(chain: readonly ClaimedDelivery[]): Promise<{ last: ClaimedDelivery; next: ClaimedDelivery | null }> {
    const sent: Sent[] = [];
    for (const delivery of chain) {
      // A stopping worker sends nothing more: what it holds goes back, due for the next process.
      if (sent.length > 0 && this.stopped) break;
      const at = new Date();
      const result = await this.send(delivery, at);
      sent.push({ delivery, at, result });
      if (!result.delivered) break;
    }
    const last = sent[sent.length - 1]!;
    const unsent = chain.slice(sent.length).map((delivery) => delivery.id);
    if (sent.length === 1 && unsent.length === 0) return { last: last.delivery, next: await this.record(last) };
    const delivered = last.result.delivered ? sent : sent.slice(0, -1);
    await this.recordings.load({
      attempts: delivered.map(({ delivery, at, result }) => ({ deliveryId: delivery.id, at, statusCode: result.statusCode!, durationMs: result.durationMs, responseExcerpt: result.responseExcerpt })),
      unsent,
    });
    for (const entry of delivered) this.report(entry, 'DELIVERED', false);
    if (!last.result.delivered) await this.record(last);
    return { last: last.delivery, next: null };
  }

  /** Signs and sends one attempt of `delivery`, started `at`. */
  private send(delivery: ClaimedDelivery, at: Date): Promise<AttemptResult> {
    const body = webhookBody(delivery.event);
    const headers = {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'interop-event-id': delivery.event.id,
      'interop-event-type': delivery.event.type,
      [PARTNER_WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(delivery.secrets, Math.floor(at.getTime() / 1000), body),
    };
    return this.sender.send(delivery.url, headers, body);
  }

  /** Records one attempt (a retry at its back-off, or given up, when not delivered); the payment's next delivery when the recording claimed it. */
  private async record(entry: Sent): Promise<ClaimedDelivery | null> {
    const { delivery, at, result } = entry;
    const retryAt = result.delivered ? null : nextAttemptAt(delivery.attempts + 1, new Date(delivery.createdAt), new Date(), this.settings);
    // A stopping worker claims nothing more: what it would have sent next stays due for the next process.
    const claimNextMs = delivery.blocksLater && !this.stopped ? this.leaseMs : undefined;
    const recorded = await this.store.recordAttempt(delivery, { ...result, at, retryAt }, this.settings.disableAfterFailures, claimNextMs);
    this.report(entry, recorded.status, recorded.disabled);
    return recorded.next;
  }

  private report({ delivery, result }: Sent, status: WebhookDeliveryStatus, disabled: boolean): void {
    this.metrics.record(status === 'DELIVERED' ? 'delivered' : status === 'PENDING' ? 'retry' : 'failed', result.durationMs);
    const log = { deliveryId: delivery.id, eventId: delivery.event.id, endpointId: delivery.endpointId, statusCode: result.statusCode, error: result.error, status };
    if (disabled) this.logger.warn(log, 'webhook endpoint disabled after a run of given-up deliveries');
    else if (result.delivered) this.logger.debug(log, 'webhook delivered');
    else this.logger.info(log, 'webhook attempt failed');
  }
}

/** Chains whose recordings share one statement at most: a bounded statement however busy the worker. */
const MAX_RECORDED_TOGETHER = 100;

/** What one chain records: its delivered attempts, and the claims of those it did not send. */
interface Recording {
  attempts: DeliveredAttempt[];
  unsent: string[];
}

/** One attempt sent: when it started and what came of it. */
interface Sent {
  delivery: ClaimedDelivery;
  at: Date;
  result: AttemptResult;
}

/** Claimed deliveries grouped by endpoint and payment, each group in its payment's order. */
function inTurn(claimed: readonly ClaimedDelivery[]): ClaimedDelivery[][] {
  const chains = groupBy(claimed, (delivery) => `${delivery.endpointId} ${delivery.event.paymentId}`);
  return [...chains.values()].map((chain) => chain.sort((a, b) => a.event.paymentVersion - b.event.paymentVersion));
}
