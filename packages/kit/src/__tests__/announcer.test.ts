// kit's announcer: announcements on every bus, and a catch-up on a bus that
// lost one once it takes messages again.
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

test('an announcement a bus refused is followed by a catch-up on that bus alone', async () => {
  const flaky = new RecordingBus();
  const steady = new RecordingBus();
  const out = start([flaky, steady]);
  flaky.refusing = true;
  out.announce('changed 1');
  flaky.refusing = false;
  await eventually(() => flaky.taken.length === 1);
  expect(flaky.taken).toEqual([CATCH_UP]);
  expect(steady.taken).toEqual(['changed 1']);
});
