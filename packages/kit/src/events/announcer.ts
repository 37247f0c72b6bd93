// Publishing "something changed" messages on one or more buses without ever
// holding up or failing the change itself. When a publish fails the message is
// lost, so a catch-up message (one that tells followers to re-read) is
// published once that bus takes messages again, retried with back-off: one
// late catch-up is as good as the messages that were lost.
//
// A process also publishes one catch-up as it starts. It cannot know what the
// process it replaces committed and never announced: one killed between a
// commit and its publish leaves followers waiting for news of a change that
// is already made (a live payment that never shows SUCCEEDED, a response cache
// that keeps an opt-in that was closed).
import type { Logger } from '../logger';
import { Backoff } from './backoff';
import type { EventBus } from './event-bus';

export interface Announcer {
  /** Publishes `message` on every bus; `context` goes into the log line if a bus refuses it. */
  announce(message: string, context?: Record<string, unknown>): void;
  stop(): void;
}

export interface AnnouncerOptions {
  /** What the messages are, for log lines: e.g. `payment event`. */
  what: string;
  /** The message that makes followers re-read everything they follow. */
  catchUp: () => string;
  logger: Logger;
}

export function announcer(buses: readonly EventBus[], options: AnnouncerOptions): Announcer {
  const catchUps = buses.map((bus) => catchUpAfterLoss(bus, options));
  for (const catchUp of catchUps) catchUp.now();
  return {
    announce(message, context = {}) {
      buses.forEach((bus, index) => {
        bus.publish(message).catch((error: unknown) => {
          options.logger.error({ err: error, ...context }, `${options.what} not published`);
          catchUps[index]?.lost();
        });
      });
    },
    stop() {
      for (const catchUp of catchUps) catchUp.stop();
    },
  };
}

function catchUpAfterLoss(bus: EventBus, { what, catchUp, logger }: AnnouncerOptions): { now(): void; lost(): void; stop(): void } {
  const backoff = new Backoff(500, 30_000);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let afterLoss = false;
  const attempt = () => {
    timer = undefined;
    bus.publish(catchUp()).then(
      () => {
        backoff.reset();
        if (afterLoss) logger.info(`${what}s caught up after a loss`);
        afterLoss = false;
      },
      () => schedule(),
    );
  };
  const schedule = () => {
    afterLoss = true;
    if (stopped || timer) return;
    timer = setTimeout(attempt, backoff.next());
    timer.unref();
  };
  return {
    now: attempt,
    lost: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
