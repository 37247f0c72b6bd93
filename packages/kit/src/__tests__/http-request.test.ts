// Peer requests on kept-alive connections: a connection the peer closes as a
// request goes out on it costs a second try on a new connection, not a failed
// call; a reset on a new connection is the peer's failure and is not retried.
// A caller's own pool and a cap on the answer read.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { httpRequest, keptAliveAgents } from '../http-request';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A peer that counts connections and requests; `answer` decides, per request, to answer or to reset the connection. */
async function peer(answer: (req: IncomingMessage, res: ServerResponse, nthOnConnection: number) => void, keepAliveTimeoutMs = 5000) {
  const counts = { connections: 0, requests: 0 };
  const perSocket = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    counts.requests += 1;
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    req.resume();
    req.on('end', () => answer(req, res, nth));
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on('connection', (socket) => {
    counts.connections += 1;
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, counts };
}

const ok = (res: ServerResponse) => res.end('{"ok":true}');
const send = (url: string) => httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000 });

it('sends a request again on a new connection when a kept-alive one is reset under it', async () => {
  // The second request on any connection meets a peer that closed it.
  const { url, counts } = await peer((req, res, nth) => (nth === 1 ? ok(res) : req.socket.destroy()));
  expect((await send(url)).status).toBe(200);
  const again = await send(url);
  expect(again.status).toBe(200);
  expect(again.text).toBe('{"ok":true}');
  expect(counts).toEqual({ connections: 2, requests: 3 });
});

it('does not send again when a new connection is reset: the peer failed', async () => {
  const { url, counts } = await peer((req) => req.socket.destroy());
  await expect(send(url)).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect(counts.requests).toBe(1);
});

it('drops an idle connection before the keep-alive timeout the peer announces', async () => {
  // Announces 2 s: the connection is dropped after 1 s idle, so a request at 1.5 s goes out on a new one.
  const { url, counts } = await peer((_req, res) => ok(res), 2000);
  await send(url);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await send(url);
  expect(counts).toEqual({ connections: 2, requests: 2 });
});

it('reads at most maxAnswerBytes of an answer and closes that connection; a caller\'s own pool keeps its connections apart', async () => {
  const { url, counts } = await peer((req, res) => res.end(req.url === '/large' ? 'x'.repeat(200_000) : 'small'));
  const agents = keptAliveAgents();
  try {
    const request = (path: string) => httpRequest(new URL(path, url).href, { method: 'GET', headers: {}, timeoutMs: 2000, agents, maxAnswerBytes: 1000 });
    expect(await request('/small')).toMatchObject({ status: 200, text: 'small' });
    expect(await request('/small')).toMatchObject({ status: 200, text: 'small' });
    expect(counts.connections).toBe(1);
    const large = await request('/large');
    expect(large.text).toHaveLength(1000);
    // The rest of the large answer was never read: its connection is gone, and the next request opens another.
    expect(await request('/small')).toMatchObject({ status: 200, text: 'small' });
    expect(counts).toEqual({ connections: 2, requests: 4 });
    // The shared pool never had these connections.
    await send(url);
    expect(counts.connections).toBe(3);
  } finally {
    agents['http:'].destroy();
  }
});
