// /ready of a subgraph or the wallet: ready while its check passes in time,
// unavailable when the check fails or hangs, stopping from the first moment of
// a stop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readiness, type Readiness } from '../readiness';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(ready: Readiness): Promise<() => Promise<{ status: number; body: unknown }>> {
  const server = createServer((req, res) => void ready.route(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
  return async () => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  };
}

it('answers 200 while the check passes, and 503 from the moment the service stops', async () => {
  const ready = readiness('payments', async () => 1);
  const ask = await serve(ready);
  expect(await ask()).toEqual({ status: 200, body: { status: 'ready', service: 'payments' } });
  ready.stopping();
  expect(await ask()).toEqual({ status: 503, body: { status: 'stopping', service: 'payments' } });
});

it('answers 503 when the check fails or takes longer than a second', async () => {
  let database: 'up' | 'down' | 'stuck' = 'down';
  const ask = await serve(
    readiness('merchants', () => (database === 'up' ? Promise.resolve() : database === 'down' ? Promise.reject(new Error('refused')) : new Promise(() => {}))),
  );
  expect((await ask()).status).toBe(503);
  database = 'stuck';
  expect(await ask()).toEqual({ status: 503, body: { status: 'unavailable', service: 'merchants' } });
  database = 'up';
  expect((await ask()).status).toBe(200);
});

it('is ready without a check while it serves', async () => {
  expect((await (await serve(readiness('commerce')))()).status).toBe(200);
});
