/** @backend-contract each event bus the environment offers */
// The event buses between processes: a message published on one bus object
// reaches subscribers on another (as in another process) once they are ready;
// a subscriber whose connection the server dropped reconnects and hears of the
// gap. Redis and PostgreSQL run when REDIS_URL and DATABASE_URL name servers;
// the in-process bus always.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { EventBus } from '../events/event-bus';
import { LocalEventBus } from '../events/local-event-bus';
import { openSharedEventBus } from '../events/open-event-bus';

function collector() {
  const messages: string[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  let gaps = 0;
  let gapWaiter: (() => void) | undefined;
  return {
    messages,
    gaps: () => gaps,
    listener: {
      message(text: string) {
        messages.push(text);
        for (const wait of waiting.filter((entry) => messages.length >= entry.count)) wait.resolve();
      },
      gap() {
        gaps += 1;
        gapWaiter?.();
      },
    },
    received: (count: number) => new Promise<void>((resolve) => (messages.length >= count ? resolve() : waiting.push({ count, resolve }))),
    gap: () => new Promise<void>((resolve) => (gapWaiter = resolve)),
  };
}

test('the in-process bus delivers to its subscribers at once', async () => {
  const bus = new LocalEventBus();
  const heard = collector();
  const stop = bus.subscribe(heard.listener);
  await bus.publish('one');
  stop();
  await bus.publish('two');
  expect(heard.messages).toEqual(['one']);
});

const shared: [string, () => Promise<void>][] = [];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  shared.push([
    'redis',
    async () => {
      // Drops every subscriber connection; other subscribers on this server recover the same way.
      const admin = new Redis(url);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await admin.quit();
    },
  ]);
}
if (process.env.DATABASE_URL) {
  const url = process.env.DATABASE_URL;
  shared.push([
    'postgres',
    async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN "event_bus_test_%'`);
      await admin.end();
    },
  ]);
}

for (const [kind, dropSubscribers] of shared) {
  describe(`the ${kind} bus`, () => {
    let publisher: EventBus;
    let subscriber: EventBus;

    beforeEach(() => {
      const config = {
        channel: `event_bus_test_${randomBytes(6).toString('hex')}`,
        ...(kind === 'redis' ? { redisUrl: process.env.REDIS_URL } : { databaseUrl: process.env.DATABASE_URL }),
      };
      publisher = openSharedEventBus(config) as EventBus;
      subscriber = openSharedEventBus(config) as EventBus;
    });

    afterEach(async () => {
      await Promise.all([publisher.close(), subscriber.close()]);
    });

    test('carries messages, in order, from one connection to another', async () => {
      const heard = collector();
      subscriber.subscribe(heard.listener);
      expect(await subscriber.ready(5000)).toBe(true);
      for (const text of ['one', 'two', 'three']) await publisher.publish(text);
      await heard.received(3);
      expect(heard.messages).toEqual(['one', 'two', 'three']);
    });

    test('a subscriber whose connection was dropped reconnects and reports the gap', async () => {
      const heard = collector();
      subscriber.subscribe(heard.listener);
      expect(await subscriber.ready(5000)).toBe(true);
      const gap = heard.gap();
      await dropSubscribers();
      await gap;
      expect(await subscriber.ready(5000)).toBe(true);
      await publisher.publish('after');
      await heard.received(1);
      expect(heard.messages).toEqual(['after']);
    });
  });
}
