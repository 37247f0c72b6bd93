// One subscriber's stream of a live entity (see live-fields): the entity now,
// then each change, in order, each once. A change announced on the entity's
// event bus (or a gap in it) only makes the feed re-read the entity through
// the gateway; what is delivered comes from that read: one result for every
// change since the last one delivered, each with the value that change set in
// the live field's `patches` field (so a change overtaken by the next before it
// was read is still delivered), the other fields as read. Nothing is read until
// the subscriber asks for the next result, so a slow subscriber holds one
// pending flag, not a queue. After a final value the feed completes. Every
// `recheckMs` the feed re-reads as after a gap, so a change whose announcement
// was lost still arrives, that much later.
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '@interop/kit';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { SubscriptionPlan } from './operation';
import type { EntityChanged, EntityEventListener } from './live-events';

export interface FeedSource {
  /** Runs the plan's query through the gateway as the subscriber. */
  read(): Promise<FormattedExecutionResult>;
  follow(listener: EntityEventListener): () => void;
  /** True once changes published from now on will be heard. */
  ready(): Promise<boolean>;
}

type Errors = readonly GraphQLFormattedError[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class LiveFeed implements AsyncIterableIterator<ExecutionResult> {
  /** The version (count of status changes) of the last result queued. */
  private delivered = 0;
  /** The highest version announced, and the highest one a read has been started for. */
  private announced = 0;
  private readFor = 0;
  private gap = false;
  private readonly outbox: ExecutionResult[] = [];
  /** The entity reached a final value (or an error ends the feed): deliver what is queued, then complete. */
  private finishing = false;
  private ended = false;
  private wake: (() => void) | undefined;
  private unfollow: (() => void) | undefined;
  private recheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: SubscriptionPlan,
    private readonly source: FeedSource,
    private readonly onEnd: () => void,
    private readonly options: { logger?: Logger; recheckMs?: number } = {},
  ) {}

  /**
   * Follows the entity's changes first, then reads it, so no change can fall
   * between the two. Null when the subscription starts (its first result is
   * the entity now); otherwise the errors that refuse it, and the feed is over.
   */
  async start(): Promise<Errors | null> {
    this.unfollow = this.source.follow((event) => this.changed(event));
    if (!(await this.source.ready())) {
      this.end();
      return [
        {
          message: `The events of ${this.plan.live.subscription} are unavailable; try again shortly.`,
          extensions: { code: GatewayErrorCode.DEPENDENCY_UNAVAILABLE, dependency: eventsDependency(this.plan.live.channel) },
        },
      ];
    }
    const refused = await this.read(true);
    if (refused) this.end();
    else if (this.options.recheckMs && !this.ended) this.recheck = setInterval(() => this.changed(null), this.options.recheckMs).unref();
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

  private changed(event: EntityChanged | null): void {
    if (event === null) this.gap = true;
    else if (event.version > this.delivered) this.announced = Math.max(this.announced, event.version);
    else return;
    this.wake?.();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.recheck);
    this.outbox.length = 0;
    this.unfollow?.();
    this.wake?.();
    this.onEnd();
  }

  /** Reads the entity and queues what changed since the last result; the errors that end the feed when there is none. */
  private async read(first: boolean): Promise<Errors | null> {
    this.gap = false;
    this.readFor = this.announced;
    let result: FormattedExecutionResult;
    try {
      result = await this.source.read();
    } catch (error) {
      this.options.logger?.error({ err: error, subscription: this.plan.live.subscription, entityId: this.plan.entityId }, 'subscription read failed');
      return [{ message: 'Internal server error', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } }];
    }
    if (this.ended) return null;
    const { responseKey, changesKey, patchKeys, entityId, live } = this.plan;
    const entity = result.data?.[responseKey];
    if (!entity || typeof entity !== 'object') {
      return result.errors?.length
        ? result.errors
        : [{ message: `No ${live.query} has ${live.argument} ${entityId}.`, extensions: { code: GatewayErrorCode.BAD_USER_INPUT, argument: live.argument } }];
    }
    const { [changesKey]: changes, ...fields } = entity as Record<string, unknown>;
    const values = Array.isArray(changes) ? changes.map((change) => (change as Record<string, unknown> | null)?.[live.change]) : [];
    const version = values.length;
    if (!first && version <= this.delivered) return null;
    const errors = result.errors?.map(toGraphQLError);
    // The first result is the entity now; later ones are each change since the last delivered.
    for (let at = first ? Math.max(version, 1) : this.delivered + 1; at <= Math.max(version, 1); at += 1) {
      const value = values[at - 1];
      const patched = typeof value === 'string' ? patchKeys.filter((key) => key in fields).map((key) => [key, value]) : [];
      const delivered = { ...fields, ...Object.fromEntries(patched) };
      this.outbox.push({ data: { [responseKey]: delivered }, ...(errors ? { errors } : {}) });
    }
    this.delivered = Math.max(this.delivered, version);
    if (live.final.has(String(values[version - 1]))) this.finishing = true;
    return null;
  }
}

/** A formatted error (already masked by the gateway) as the GraphQLError transports serialise. */
export function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { ...(error.path ? { path: error.path } : {}), ...(error.extensions ? { extensions: error.extensions } : {}) });
}

/** How a DEPENDENCY_UNAVAILABLE names an event source: `payment_events` reads `payment-events`. */
export const eventsDependency = (channel: string): string => channel.replace(/_/g, '-');
