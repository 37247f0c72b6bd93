// A process's event bus served as a signed event stream, and a peer following
// it: only signed reads are served; messages published after `ready` arrive;
// a dropped stream is reconnected and reported as a gap.
import { createServer, type Server } from 'node:http';
import { EventStreamClient } from '../events/event-stream-client';
import { eventStreamRoute, eventStreamSignature } from '../events/event-stream-route';
import { LocalEventBus } from '../events/local-event-bus';
import { listen } from '../http';
import type { Logger } from '../logger';
import { SIGNATURE_HEADER } from '../signature';

const SECRET = 'event-stream-test-secret';
const PATH = '/events/test';

let server: Server;
let url: string;
const bus = new LocalEventBus();
const stream = eventStreamRoute({ bus, path: PATH, secret: SECRET });

beforeAll(async () => {
  server = createServer((req, res) => void stream.route(req, res));
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${PATH}`;
});

afterAll(async () => {
  stream.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test.each([
  ['no signature', undefined],
  ['another secret', eventStreamSignature('another-secret-entirely', PATH)],
  ['another path', eventStreamSignature(SECRET, '/events/other')],
])('a read with %s is refused with 401', async (_name, signature) => {
  const response = await fetch(url, { headers: signature ? { [SIGNATURE_HEADER]: signature } : {} });
  expect(response.status).toBe(401);
  await response.arrayBuffer();
});

test('a follower gets what is published once it is ready, and a gap after its stream was dropped', async () => {
  const client = new EventStreamClient({ url: () => url, secret: SECRET });
  const messages: string[] = [];
  let onMessage = () => {};
  let onGap = () => {};
  client.subscribe({
    message: (text) => {
      messages.push(text);
      onMessage();
    },
    gap: () => onGap(),
  });
  try {
    expect(await client.ready(5000)).toBe(true);
    const arrived = new Promise<void>((resolve) => (onMessage = resolve));
    await bus.publish('{"first":1}');
    await arrived;
    expect(messages).toEqual(['{"first":1}']);

    const gap = new Promise<void>((resolve) => (onGap = resolve));
    server.closeAllConnections();
    await gap;
    expect(await client.ready(5000)).toBe(true);
    const again = new Promise<void>((resolve) => (onMessage = resolve));
    await bus.publish('{"second":2}');
    await again;
    expect(messages).toEqual(['{"first":1}', '{"second":2}']);
  } finally {
    await client.close();
  }
});

test('a stream not up yet is logged once it stays down past its allowance, and once only; an outage after a connection is logged at once', async () => {
  const warnings: unknown[] = [];
  const logger = { warn: (fields: unknown) => warnings.push(fields) } as unknown as Logger;
  const closed = createServer();
  const port = await listen(closed, 0, '127.0.0.1');
  await new Promise((resolve) => closed.close(resolve));
  let target = `http://127.0.0.1:${port}${PATH}`;
  const client = new EventStreamClient({ url: () => target, secret: SECRET, logger, notUpYetMs: 1500 });
  client.subscribe({ message: () => {}, gap: () => {} });
  try {
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(warnings).toEqual([]);
    const deadline = Date.now() + 10_000;
    while (warnings.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings).toHaveLength(1);

    target = url;
    expect(await client.ready(15_000)).toBe(true);
    target = `http://127.0.0.1:${port}${PATH}`;
    server.closeAllConnections();
    while (warnings.length === 1 && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(warnings).toHaveLength(2);
  } finally {
    await client.close();
  }
});
