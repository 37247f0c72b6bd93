// A stopping server lets requests in flight finish and then closes their
// kept-alive connections at once: the stop ends with its last request, not
// when the grace runs out or a client hangs up. Every answer it begins while
// stopping says `Connection: close`, so no client sends another request on a
// connection about to close.
import { createServer, request, Agent, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { close, listen } from '../http';

// Far longer than the test may take: a stop that waited for it would fail the test on its time-out.
const GRACE_MS = 120_000;

let server: Server;
let port: number;
let release: () => void;
let held: Promise<void>;
/** The paths of the requests the server has received, in order. */
let received: string[];

beforeEach(async () => {
  held = new Promise((resolve) => (release = resolve));
  received = [];
  server = createServer((req, res) => {
    received.push(req.url ?? '');
    if (req.url === '/held') void held.then(() => res.end('held'));
    else if (req.url === '/streaming') {
      // An answer under way: its head and a first part go out at once, the rest later.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      void held.then(() => res.end('last'));
    } else res.end('quick');
  });
  port = await listen(server, 0, '127.0.0.1');
});
afterEach(() => server.closeAllConnections());

/** Resolves once the server has received a request for `path` (however slow the machine). */
async function receivedRequestFor(path: string): Promise<void> {
  while (!received.includes(path)) await new Promise((resolve) => setTimeout(resolve, 10));
}

function get(path: string, agent: Agent): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ response, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('a request in flight is answered with Connection: close, its connection closed after it, and the stop ends then', async () => {
  const agent = new Agent({ keepAlive: true });
  try {
    // A connection kept alive after a first request, then carrying a second one when the stop begins.
    await get('/quick', agent);
    const inFlight = get('/held', agent);
    await receivedRequestFor('/held');
    let stopped = false;
    const stopping = close(server, GRACE_MS).then(() => (stopped = true));
    // Whatever the time given, the stop waits for the request in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    const answer = await inFlight;
    expect(answer.body).toBe('held');
    expect(answer.response.headers.connection).toBe('close');
    await stopping;
    expect(stopped).toBe(true);
  } finally {
    agent.destroy();
  }
}, 20_000);

test('behind an answer already under way, a request that arrives during the stop is answered with Connection: close', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ended = new Promise((resolve) => socket.once('end', resolve));
  socket.write('GET /streaming HTTP/1.1\r\nHost: test\r\n\r\n');
  // The stop begins once the answer's head is out.
  while (!text.includes('first')) await new Promise((resolve) => setTimeout(resolve, 10));
  const stopping = close(server, GRACE_MS);
  // Pipelined behind the answer under way, so it arrives while the server stops.
  socket.write('GET /quick HTTP/1.1\r\nHost: test\r\n\r\n');
  await receivedRequestFor('/quick');
  release();
  await ended;
  await stopping;
  const answers = text.split(/(?=HTTP\/1\.1 )/);
  expect(answers).toHaveLength(2);
  expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
  expect(answers[0]).toMatch(/\r\nconnection: keep-alive\r\n/i);
  expect(answers[1]).toMatch(/^HTTP\/1\.1 200/);
  expect(answers[1]).toMatch(/\r\nconnection: close\r\n/i);
  socket.destroy();
}, 20_000);

test('a connection whose answer was already under way is closed when that answer ends, and the stop ends then', async () => {
  const agent = new Agent({ keepAlive: true });
  try {
    const streaming = get('/streaming', agent);
    await receivedRequestFor('/streaming');
    const stopping = close(server, GRACE_MS);
    release();
    const answer = await streaming;
    expect(answer.body).toBe('first last');
    // Its head went out before the stop, still promising to keep the connection.
    expect(answer.response.headers.connection).toBe('keep-alive');
    await stopping;
  } finally {
    agent.destroy();
  }
}, 20_000);
