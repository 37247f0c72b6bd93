// Held facts against a bus this test drives and an owner that counts what it
// is asked: what is served from memory, and when the owner is asked instead.
import { Fanout, type BusListener, type EventBus } from '../../events/event-bus';
import { encodeFactsChanged, newFactsChanged, type ChangedEntity } from '../../events/fact-event';
import { createLogger } from '../../logger';
import { HeldFacts, type FactsPage, type FactsSource } from '../held-facts';

/** A bus whose liveness and messages the test decides. */
class DrivenBus implements EventBus {
  readonly fanout = new Fanout();
  publish(message: string): Promise<void> {
    this.fanout.message(message);
    return Promise.resolve();
  }
  subscribe(listener: BusListener): () => void {
    return this.fanout.add(listener);
  }
  ready(): Promise<boolean> {
    return Promise.resolve(this.fanout.isLive);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  announce(owner: string, changed?: ChangedEntity[]): void {
    this.fanout.message(encodeFactsChanged(newFactsChanged(owner, changed)));
  }
}

interface Facts {
  version: number;
}

/** An owner of ids a0..a(n-1), two per page, each at the version the test sets; it counts every request. */
class CountingOwner implements FactsSource<Facts> {
  readonly versions = new Map<string, number>();
  fetched: string[][] = [];
  pages = 0;
  /** While set, fetches wait for it. */
  gate: Promise<void> | undefined;

  constructor(count: number) {
    for (let i = 0; i < count; i += 1) this.versions.set(`a${i}`, 1);
  }

  async fetch(ids: readonly string[]): Promise<(Facts | null)[]> {
    this.fetched.push([...ids]);
    const asked = ids.map((id) => this.factsOf(id));
    await this.gate;
    return asked;
  }

  async page(after: string | null): Promise<FactsPage<Facts>> {
    this.pages += 1;
    const ids = [...this.versions.keys()];
    const start = after === null ? 0 : ids.indexOf(after) + 1;
    const slice = ids.slice(start, start + 2);
    return { entries: slice.map((id) => [id, this.factsOf(id) as Facts] as const), next: start + 2 < ids.length ? (slice.at(-1) ?? null) : null };
  }

  private factsOf(id: string): Facts | null {
    const version = this.versions.get(id);
    return version === undefined ? null : { version };
  }
}

const logger = createLogger('held-facts-test');
const settle = () => new Promise((resolve) => setImmediate(resolve));

const started: HeldFacts<Facts>[] = [];

afterEach(() => {
  for (const held of started.splice(0)) held.stop();
});

function setUp(count = 5, max = 100) {
  const bus = new DrivenBus();
  const owner = new CountingOwner(count);
  const held = new HeldFacts<Facts>({ owner: 'merchants', type: 'Merchant', source: owner, bus, max, logger });
  started.push(held);
  return { bus, owner, held };
}

/** Waits until every id the owner has is held. */
async function loaded(held: HeldFacts<Facts>, count: number): Promise<void> {
  for (let i = 0; i < 100 && held.size < count; i += 1) await settle();
  expect(held.size).toBe(count);
}

/** Held facts of `count` entities, their bus live and every entity loaded. */
async function liveAndLoaded(count: number) {
  const setting = setUp(count);
  setting.bus.fanout.up();
  await loaded(setting.held, count);
  return setting;
}

test('before its bus is live every read asks the owner, and nothing is held', async () => {
  const { owner, held } = setUp();
  expect(await held.get('a1')).toEqual({ version: 1 });
  expect(await held.get('a1')).toEqual({ version: 1 });
  expect(owner.fetched).toEqual([['a1'], ['a1']]);
  expect(held.size).toBe(0);
});

test('once live, every entity is loaded page by page and read from memory; an unknown id asks the owner and is null', async () => {
  const { owner, held } = await liveAndLoaded(5);
  expect(owner.pages).toBe(3);
  const reads = await Promise.all(['a0', 'a2', 'a4'].map((id) => held.get(id)));
  expect(reads).toEqual([{ version: 1 }, { version: 1 }, { version: 1 }]);
  expect(owner.fetched).toEqual([]);
  expect(await held.get('nobody')).toBeNull();
  expect(owner.fetched).toEqual([['nobody']]);
  expect(held.reads).toEqual({ held: 3, asked: 1, loads: 1 });
});

test('peek answers at once what is held and asks nothing: undefined before the bus is live, for an entity not held, and after a change to it', async () => {
  const { bus, owner, held } = setUp(2);
  expect(held.peek('a0')).toBeUndefined();
  bus.fanout.up();
  await loaded(held, 2);
  expect(held.peek('a0')).toEqual({ version: 1 });
  expect(held.peek('nobody')).toBeUndefined();
  bus.announce('merchants', [{ type: 'Merchant', id: 'a0' }]);
  expect(held.peek('a0')).toBeUndefined();
  expect(held.peek('a1')).toEqual({ version: 1 });
  expect(owner.fetched).toEqual([]);
  expect(held.reads).toEqual({ held: 2, asked: 0, loads: 1 });
});

test("a change naming an entity drops only it: the next read asks the owner and sees the change, then it is held again", async () => {
  const { bus, owner, held } = await liveAndLoaded(3);
  owner.versions.set('a1', 2);
  bus.announce('merchants', [{ type: 'Merchant', id: 'a1' }]);
  expect(await held.get('a1')).toEqual({ version: 2 });
  expect(await held.get('a1')).toEqual({ version: 2 });
  expect(await held.get('a0')).toEqual({ version: 1 });
  expect(owner.fetched).toEqual([['a1']]);
});

test("another owner's changes, and other types', leave what is held alone", async () => {
  const { bus, owner, held } = await liveAndLoaded(2);
  bus.announce('commerce', [{ type: 'Merchant', id: 'a0' }]);
  bus.announce('commerce');
  bus.announce('merchants', [{ type: 'Storefront', id: 'a0' }]);
  bus.fanout.message('not a fact event');
  await held.get('a0');
  expect(owner.fetched).toEqual([]);
  expect(owner.pages).toBe(1);
});

test('a change naming no entity, and a gap, drop everything and load it all again', async () => {
  const { bus, owner, held } = await liveAndLoaded(2);
  owner.versions.set('a0', 2);
  bus.announce('merchants');
  expect(held.size).toBe(0);
  await loaded(held, 2);
  expect(await held.get('a0')).toEqual({ version: 2 });
  owner.versions.set('a0', 3);
  bus.fanout.gap();
  expect(held.size).toBe(0);
  await loaded(held, 2);
  expect(await held.get('a0')).toEqual({ version: 3 });
  expect(owner.fetched).toEqual([]);
});

test('while the bus is down every read asks the owner; when it is back everything is loaded again', async () => {
  const { bus, owner, held } = await liveAndLoaded(2);
  bus.fanout.down();
  expect(held.size).toBe(0);
  owner.versions.set('a0', 2);
  expect(await held.get('a0')).toEqual({ version: 2 });
  expect(held.size).toBe(0);
  bus.fanout.up();
  await loaded(held, 2);
  expect(await held.get('a0')).toEqual({ version: 2 });
  expect(owner.fetched).toEqual([['a0']]);
});

test('a bus back after a loss (up, then gap) loads everything once', async () => {
  const { bus, owner, held } = await liveAndLoaded(4);
  bus.fanout.down();
  bus.fanout.up();
  await loaded(held, 4);
  await settle();
  expect(owner.pages).toBe(4);
});

test('an answer asked before a change to it was heard serves its read but is not held', async () => {
  const { bus, owner, held } = await liveAndLoaded(2);
  bus.announce('merchants', [{ type: 'Merchant', id: 'a0' }]);
  let open!: () => void;
  owner.gate = new Promise((resolve) => (open = resolve));
  const read = held.get('a0');
  await settle();
  // Asked at version 1; the owner changes it and announces while the answer is on its way.
  owner.versions.set('a0', 2);
  bus.announce('merchants', [{ type: 'Merchant', id: 'a0' }]);
  open();
  owner.gate = undefined;
  expect(await read).toEqual({ version: 1 });
  expect(await held.get('a0')).toEqual({ version: 2 });
  expect(await held.get('a0')).toEqual({ version: 2 });
  expect(owner.fetched).toEqual([['a0'], ['a0']]);
});

test('reads in one tick share one request, each id asked once', async () => {
  const { owner, held } = setUp(3);
  const reads = await Promise.all(['a0', 'a1', 'a0', 'a2', 'a1'].map((id) => held.get(id)));
  expect(reads.map((facts) => facts?.version)).toEqual([1, 1, 1, 1, 1]);
  expect(owner.fetched).toEqual([['a0', 'a1', 'a2']]);
});

test('at most `max` entities are held: loading stops there, and reads of the others ask the owner', async () => {
  const { bus, owner, held } = setUp(9, 4);
  bus.fanout.up();
  for (let i = 0; i < 100 && owner.pages < 2; i += 1) await settle();
  await settle();
  expect(held.size).toBe(4);
  expect(owner.pages).toBe(2);
  await held.get('a8');
  expect(owner.fetched).toEqual([['a8']]);
  expect(held.size).toBeLessThanOrEqual(4);
});

test('stopped, it holds nothing and hears nothing', async () => {
  const { bus, owner, held } = await liveAndLoaded(2);
  held.stop();
  expect(held.size).toBe(0);
  bus.fanout.gap();
  await settle();
  expect(owner.pages).toBe(1);
  await held.get('a0');
  expect(owner.fetched).toEqual([['a0']]);
});
