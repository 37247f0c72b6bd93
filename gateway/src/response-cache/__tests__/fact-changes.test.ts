// Without a shared bus the cache follows exactly the fact streams the loaded
// supergraph declares: a reload that declares another subgraph's stream
// follows it, and one that no longer declares a stream stops reading it. A
// stream a reload adds empties the cache once it is live, since changes it
// announced before then were never heard.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@interop/kit';
import { encodeFactsChanged, eventStreamRoute, LocalEventBus, newFactsChanged } from '@interop/kit/events';
import { invalidateOnFactChanges } from '../fact-changes';
import type { ResponseCache } from '../response-cache';
import { eventually } from '@interop/testing/processes';

const SECRET = 'fact-changes-test-secret';
const logger = createLogger('fact-changes-test');

interface Announcing {
  name: string;
  url: string;
  announce(): Promise<void>;
  /** How many followers read the stream now. */
  readers(): number;
  stop(): Promise<void>;
}

async function announcing(name: string, path: string): Promise<Announcing> {
  const bus = new LocalEventBus();
  const stream = eventStreamRoute({ bus, path, secret: SECRET, logger });
  let readers = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    readers += 1;
    res.on('close', () => (readers -= 1));
    stream.route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    announce: () => bus.publish(encodeFactsChanged(newFactsChanged(name))),
    readers: () => readers,
    async stop() {
      stream.close();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}


test('the streams followed are those the last supergraph declared, whichever subgraphs they are', async () => {
  const north = await announcing('north', '/events/facts');
  const south = await announcing('south', '/south/facts');
  const urls = new Map([north, south].map((subgraph) => [subgraph.name, subgraph.url]));
  const heard: string[] = [];
  const cache = { factsChanged: (change: string) => heard.push(change), invalidate: () => {} } as unknown as ResponseCache;
  const changes = invalidateOnFactChanges(cache, {}, { subgraphUrl: (name) => urls.get(name), secret: SECRET }, logger);
  try {
    // Nothing to follow is known before a supergraph is loaded.
    expect(await changes.ready(50)).toBe(false);

    changes.follow([{ subgraph: 'north', stream: '/events/facts' }]);
    expect(await changes.ready(5000)).toBe(true);
    await north.announce();
    await eventually(() => heard.length === 1);
    expect(south.readers()).toBe(0);

    changes.follow([{ subgraph: 'south', stream: '/south/facts' }]);
    expect(await changes.ready(5000)).toBe(true);
    await eventually(() => north.readers() === 0);
    await north.announce();
    await south.announce();
    await eventually(() => heard.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toHaveLength(2);
  } finally {
    await changes.close();
    await Promise.all([north.stop(), south.stop()]);
  }
});

test('a stream a reload adds empties the cache once it is live; the streams of the first load and those kept do not', async () => {
  const north = await announcing('north', '/events/facts');
  const south = await announcing('south', '/south/facts');
  const urls = new Map<string, string>([[north.name, north.url]]);
  let emptied = 0;
  const cache = { factsChanged: () => {}, invalidate: () => (emptied += 1) } as unknown as ResponseCache;
  const changes = invalidateOnFactChanges(cache, {}, { subgraphUrl: (name) => urls.get(name), secret: SECRET }, logger);
  try {
    changes.follow([{ subgraph: 'north', stream: '/events/facts' }]);
    expect(await changes.ready(5000)).toBe(true);
    // South's URL is not known yet, so its stream cannot be live: nothing is emptied until it is.
    changes.follow([{ subgraph: 'north', stream: '/events/facts' }, { subgraph: 'south', stream: '/south/facts' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emptied).toBe(0);
    urls.set(south.name, south.url);
    await eventually(() => south.readers() === 1);
    await eventually(() => emptied === 1);
    expect(north.readers()).toBe(1);
  } finally {
    await changes.close();
    await Promise.all([north.stop(), south.stop()]);
  }
});
