// Publishing "something changed" messages on one or more buses without ever
// holding up or failing the change itself. When a publish fails the message is
// lost, so a catch-up message (one that tells followers to re-read) is
// published once that bus takes messages again, retried with back-off: one
// late catch-up is as good as the messages that were lost.
import type { Logger } from '../logger';
import { Backoff } from './backoff';
import type { EventBus } from './event-bus';

export interface Announcer {
  /**
   * Publishes `message` on every bus; `context` goes into the log line if a
   * bus refuses it. Resolves once every bus took it or refused it (never
   * rejects): a caller that must know it left, before it goes on, waits.
   */
  announce(message: string, context?: Record<string, unknown>): Promise<void>;
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
  return {
    async announce(message, context = {}) {
      await Promise.all(
        buses.map((bus, index) =>
          bus.publish(message).catch((error: unknown) => {
            options.logger.error({ err: error, ...context }, `${options.what} not published`);
            catchUps[index]?.lost();
          }),
        ),
      );
    },
    stop() {
      for (const catchUp of catchUps) catchUp.stop();
    },
  };
}

function catchUpAfterLoss(bus: EventBus, { what, catchUp, logger }: AnnouncerOptions): { lost(): void; stop(): void } {
  const backoff = new Backoff(500, 30_000);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = () => {
    timer = undefined;
    bus.publish(catchUp()).then(
      () => {
        backoff.reset();
        logger.info(`${what}s caught up after a loss`);
      },
      () => schedule(),
    );
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(attempt, backoff.next());
    timer.unref();
  };
  return {
    lost: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
