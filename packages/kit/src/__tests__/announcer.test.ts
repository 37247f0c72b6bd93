// kit's announcer: announcements on every bus, a catch-up where one was lost,
// and one catch-up as a process starts, for whatever the process it replaces
// committed and was killed before announcing.
import { createLogger } from '../logger';
import { announcer, type Announcer, type BusListener, type EventBus } from '../events';
import { eventually } from '@interop/testing/processes';

/** A bus that keeps what it took, and refuses everything while `refusing`. */
class RecordingBus implements EventBus {
  readonly taken: string[] = [];
  refusing = false;
  publish(message: string): Promise<void> {
    if (this.refusing) return Promise.reject(new Error('bus down'));
    this.taken.push(message);
    return Promise.resolve();
  }
  subscribe(_listener: BusListener): () => void {
    return () => {};
  }
  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const CATCH_UP = 'catch-up';
const logger = createLogger('announcer-test', { level: 'silent' });
let running: Announcer | undefined;
afterEach(() => running?.stop());

function start(buses: EventBus[]): Announcer {
  running = announcer(buses, { what: 'test event', catchUp: () => CATCH_UP, logger });
  return running;
}

test('a new announcer publishes one catch-up on every bus as it starts, then the announcements', async () => {
  const buses = [new RecordingBus(), new RecordingBus()];
  const out = start(buses);
  out.announce('changed 1');
  await eventually(() => buses.every((bus) => bus.taken.length === 2));
  for (const bus of buses) expect(bus.taken).toEqual([CATCH_UP, 'changed 1']);
});

test('a bus that refuses the starting catch-up gets it once it takes messages again', async () => {
  const down = new RecordingBus();
  down.refusing = true;
  const up = new RecordingBus();
  start([down, up]);
  await eventually(() => up.taken.length === 1);
  down.refusing = false;
  await eventually(() => down.taken.length === 1);
  expect(down.taken).toEqual([CATCH_UP]);
  expect(up.taken).toEqual([CATCH_UP]);
});

test('an announcement a bus refused is followed by a catch-up on that bus alone', async () => {
  const flaky = new RecordingBus();
  const steady = new RecordingBus();
  const out = start([flaky, steady]);
  await eventually(() => flaky.taken.length === 1 && steady.taken.length === 1);
  flaky.refusing = true;
  out.announce('changed 1');
  flaky.refusing = false;
  await eventually(() => flaky.taken.length === 2);
  expect(flaky.taken).toEqual([CATCH_UP, CATCH_UP]);
  expect(steady.taken).toEqual([CATCH_UP, 'changed 1']);
});
