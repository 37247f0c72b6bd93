// One subscriber's stream of a payment: the payment now, then each status
// change, in order, each once. A change announced on the payment-events bus
// (or a gap in it) only makes the feed re-read the payment through the
// gateway; what is delivered comes from that read: one result for every status
// change since the last one delivered, each with the `status` that change set
// (so a change overtaken by the next before it was read is still delivered),
// the other fields as read. Nothing is read until the subscriber asks for the
// next result, so a slow subscriber holds one pending flag, not a queue.
// After a status nothing follows, the feed completes.
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, type Logger, type PaymentChanged } from '@interop/kit';
import type { SubscriptionPlan } from './operation';
import type { PaymentEventListener } from './payment-events';

/** Statuses nothing follows (the PaymentStatus lifecycle in the schema). */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'EXPIRED', 'REFUNDED']);

export interface FeedSource {
  /** Runs the plan's query through the gateway as the subscriber. */
  read(): Promise<FormattedExecutionResult>;
  follow(listener: PaymentEventListener): () => void;
  /** True once changes published from now on will be heard. */
  ready(): Promise<boolean>;
}

type Errors = readonly GraphQLFormattedError[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class PaymentFeed implements AsyncIterableIterator<ExecutionResult> {
  /** The version (count of status changes) of the last result queued. */
  private delivered = 0;
  /** The highest version announced, and the highest one a read has been started for. */
  private announced = 0;
  private readFor = 0;
  private gap = false;
  private readonly outbox: ExecutionResult[] = [];
  /** The payment reached a final status (or an error ends the feed): deliver what is queued, then complete. */
  private finishing = false;
  private ended = false;
  private wake: (() => void) | undefined;
  private unfollow: (() => void) | undefined;

  constructor(
    private readonly plan: SubscriptionPlan,
    private readonly source: FeedSource,
    private readonly onEnd: () => void,
    private readonly logger?: Logger,
  ) {}

  /**
   * Follows the payment's changes first, then reads it, so no change can fall
   * between the two. Null when the subscription starts (its first result is
   * the payment now); otherwise the errors that refuse it, and the feed is over.
   */
  async start(): Promise<Errors | null> {
    this.unfollow = this.source.follow((event) => this.changed(event));
    if (!(await this.source.ready())) {
      this.end();
      return [
        {
          message: 'Payment events are unavailable; try again shortly.',
          extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE, dependency: 'payment-events' },
        },
      ];
    }
    const refused = await this.read(true);
    if (refused) this.end();
    return refused;
  }

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    for (;;) {
      if (this.ended) return DONE;
      const queued = this.outbox.shift();
      if (queued) return { done: false, value: queued };
      if (this.finishing) {
        this.end();
        return DONE;
      }
      if (this.gap || this.announced > this.readFor) {
        const failed = await this.read(false);
        if (failed) {
          this.outbox.push({ errors: failed.map(toGraphQLError) });
          this.finishing = true;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.end();
    return DONE;
  }

  async throw(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.end();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private changed(event: PaymentChanged | null): void {
    if (event === null) this.gap = true;
    else if (event.version > this.delivered) this.announced = Math.max(this.announced, event.version);
    else return;
    this.wake?.();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.outbox.length = 0;
    this.unfollow?.();
    this.wake?.();
    this.onEnd();
  }

  /** Reads the payment and queues what changed since the last result; the errors that end the feed when there is no payment. */
  private async read(first: boolean): Promise<Errors | null> {
    this.gap = false;
    this.readFor = this.announced;
    let result: FormattedExecutionResult;
    try {
      result = await this.source.read();
    } catch (error) {
      this.logger?.error({ err: error, paymentId: this.plan.paymentId }, 'subscription read failed');
      return [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }];
    }
    if (this.ended) return null;
    const { responseKey, changesKey, statusKeys, paymentId } = this.plan;
    const payment = result.data?.[responseKey];
    if (!payment || typeof payment !== 'object') {
      return result.errors?.length
        ? result.errors
        : [{ message: `No payment has id ${paymentId}.`, extensions: { code: ErrorCode.BAD_USER_INPUT, argument: 'id' } }];
    }
    const { [changesKey]: changes, ...fields } = payment as Record<string, unknown>;
    const statuses = Array.isArray(changes) ? changes.map((change) => (change as { toStatus?: unknown } | null)?.toStatus) : [];
    const version = statuses.length;
    if (!first && version <= this.delivered) return null;
    const errors = result.errors?.map(toGraphQLError);
    // The first result is the payment now; later ones are each change since the last delivered.
    for (let at = first ? Math.max(version, 1) : this.delivered + 1; at <= Math.max(version, 1); at += 1) {
      const status = statuses[at - 1];
      const patched = typeof status === 'string' ? statusKeys.filter((key) => key in fields).map((key) => [key, status]) : [];
      const delivered = { ...fields, ...Object.fromEntries(patched) };
      this.outbox.push({ data: { [responseKey]: delivered }, ...(errors ? { errors } : {}) });
    }
    this.delivered = Math.max(this.delivered, version);
    if (FINAL_STATUSES.has(String(statuses[version - 1]))) this.finishing = true;
    return null;
  }
}

/** A formatted error (already masked by the gateway) as the GraphQLError transports serialise. */
export function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { ...(error.path ? { path: error.path } : {}), ...(error.extensions ? { extensions: error.extensions } : {}) });
}
