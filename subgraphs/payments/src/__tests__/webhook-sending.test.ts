// Attempts of a partner webhook, against real local HTTP servers: the
// address policy at delivery time (a host resolving to loopback is refused
// without connecting unless allowed), redirects not followed, the timeout,
// the bounded excerpt, kept-alive connections (reused, resent on one the
// receiver closed, never shared across policies); and the back-off's bounds.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { nextAttemptAt, retryDelayMs } from '../webhooks/backoff';
import { type SendOptions, WebhookSender } from '../webhooks/sender';
import { addressRefusal, type UrlPolicy } from '../webhooks/url-policy';

let server: Server;
let port: number;
let requests = 0;
let connections = 0;
/** Requests answered on each connection, to close one on its second request (/close-second). */
const served = new WeakMap<Socket, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const onThisConnection = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, onThisConnection);
    req.resume();
    if (req.url === '/close-second' && onThisConnection === 2) {
      // A receiver that drops an idle connection as the next request arrives on it.
      req.socket.destroy();
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/ok' });
      res.end();
    } else if (req.url === '/large') {
      res.writeHead(500);
      res.end('x'.repeat(100_000));
    } else if (req.url !== '/silent') {
      // /silent never answers.
      res.writeHead(200);
      res.end('thanks');
    }
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

const senders: WebhookSender[] = [];

afterAll(async () => {
  for (const sender of senders) sender.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const OPEN = { allowInsecure: true, allowPrivate: true };

function newSender(options: SendOptions): WebhookSender {
  const sender = new WebhookSender(options);
  senders.push(sender);
  return sender;
}

/** One sender per policy and timeout, as a worker holds one for its settings. */
const byOptions = new Map<string, WebhookSender>();
function sender(policy: UrlPolicy, timeoutMs: number): WebhookSender {
  const key = JSON.stringify([policy, timeoutMs]);
  const existing = byOptions.get(key);
  if (existing) return existing;
  const created = newSender({ policy, timeoutMs });
  byOptions.set(key, created);
  return created;
}

const send = (path: string, policy = OPEN, timeoutMs = 2000, host = '127.0.0.1') =>
  sender(policy, timeoutMs).send(`http://${host}:${port}${path}`, { 'content-type': 'application/json' }, '{}');

test.each([
  ['127.0.0.1', 'PRIVATE_ADDRESS'],
  ['10.0.0.1', 'PRIVATE_ADDRESS'],
  ['172.16.5.4', 'PRIVATE_ADDRESS'],
  ['192.168.1.1', 'PRIVATE_ADDRESS'],
  ['100.64.0.1', 'PRIVATE_ADDRESS'],
  ['0.0.0.0', 'PRIVATE_ADDRESS'],
  ['::', 'PRIVATE_ADDRESS'],
  ['::1', 'PRIVATE_ADDRESS'],
  ['fe80::1', 'PRIVATE_ADDRESS'],
  ['fc00::1', 'PRIVATE_ADDRESS'],
  ['::ffff:127.0.0.1', 'PRIVATE_ADDRESS'],
  ['169.254.169.254', 'METADATA_ADDRESS'],
  ['fd00:ec2::254', 'METADATA_ADDRESS'],
  ['93.184.215.14', null],
  ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', null],
])('%s: %s', (address, reason) => {
  expect(addressRefusal(address, { allowPrivate: false })).toBe(reason);
  expect(addressRefusal(address, { allowPrivate: true })).toBeNull();
});

test('a host that resolves to loopback is refused at delivery time without a connection, unless allowed', async () => {
  const before = requests;
  const refused = await send('/ok', { allowInsecure: true, allowPrivate: false }, 2000, 'localhost');
  expect(refused).toMatchObject({ delivered: false, statusCode: null });
  expect(refused.error).toMatch(/^address not allowed/);
  const literal = await send('/ok', { allowInsecure: true, allowPrivate: false });
  expect(literal).toMatchObject({ delivered: false, statusCode: null });
  expect(requests).toBe(before);
  expect(await send('/ok', OPEN, 2000, 'localhost')).toMatchObject({ delivered: true, statusCode: 200, responseExcerpt: 'thanks', error: null });
  expect(requests).toBe(before + 1);
});

test('plain http is refused at delivery time unless allowed', async () => {
  const before = requests;
  expect(await send('/ok', { allowInsecure: false, allowPrivate: true })).toMatchObject({ delivered: false, statusCode: null });
  expect(requests).toBe(before);
});

test('a redirect is a failure and is not followed', async () => {
  const before = requests;
  expect(await send('/redirect')).toMatchObject({ delivered: false, statusCode: 302, error: null });
  expect(requests).toBe(before + 1);
});

test('a receiver that does not answer in time is given up on at the timeout', async () => {
  const result = await send('/silent', OPEN, 300);
  expect(result).toMatchObject({ delivered: false, statusCode: null });
  expect(result.error).not.toBeNull();
  expect(result.durationMs).toBeGreaterThanOrEqual(290);
  expect(result.durationMs).toBeLessThan(2000);
});

test('a long answer is cut to 1,000 characters', async () => {
  const result = await send('/large');
  expect(result).toMatchObject({ delivered: false, statusCode: 500 });
  expect(result.responseExcerpt).toHaveLength(1000);
});

test('attempts to one receiver share a kept-alive connection', async () => {
  const own = newSender({ policy: OPEN, timeoutMs: 2000 });
  const before = { requests, connections };
  for (let i = 0; i < 3; i++) expect(await own.send(`http://127.0.0.1:${port}/ok`, {}, '{}')).toMatchObject({ delivered: true, statusCode: 200 });
  expect(requests - before.requests).toBe(3);
  expect(connections - before.connections).toBe(1);
  own.close();
  expect(await own.send(`http://127.0.0.1:${port}/ok`, {}, '{}')).toMatchObject({ delivered: true });
  expect(connections - before.connections).toBe(2);
});

test('an attempt on a connection the receiver closed is sent again on a new one', async () => {
  const own = newSender({ policy: OPEN, timeoutMs: 2000 });
  const before = { requests, connections };
  expect(await own.send(`http://127.0.0.1:${port}/close-second`, {}, '{}')).toMatchObject({ delivered: true });
  const resent = await own.send(`http://127.0.0.1:${port}/close-second`, {}, '{}');
  expect(resent).toMatchObject({ delivered: true, statusCode: 200, error: null });
  // The first on its connection, the second dropped there, sent again on a second connection.
  expect(requests - before.requests).toBe(3);
  expect(connections - before.connections).toBe(2);
});

test('a connection opened under a lenient policy is never reused under a strict one', async () => {
  const lenient = newSender({ policy: OPEN, timeoutMs: 2000 });
  const strict = newSender({ policy: { allowInsecure: true, allowPrivate: false }, timeoutMs: 2000 });
  expect(await lenient.send(`http://localhost:${port}/ok`, {}, '{}')).toMatchObject({ delivered: true });
  const before = requests;
  const refused = await strict.send(`http://localhost:${port}/ok`, {}, '{}');
  expect(refused).toMatchObject({ delivered: false, statusCode: null });
  expect(refused.error).toMatch(/^address not allowed/);
  expect(requests).toBe(before);
});

test('back-off: full jitter under base·2^(n-1), at most the cap; given up past the deadline', () => {
  const policy = { retryBaseMs: 1000, maxRetryDelayMs: 3_600_000, giveUpAfterMs: 259_200_000 };
  expect(retryDelayMs(1, policy, () => 0.999)).toBeLessThan(1000);
  expect(retryDelayMs(3, policy, () => 0.999)).toBeGreaterThan(3900);
  expect(retryDelayMs(3, policy, () => 0.999)).toBeLessThan(4000);
  expect(retryDelayMs(1, policy, () => 0)).toBe(0);
  expect(retryDelayMs(60, policy, () => 0.999)).toBeLessThan(3_600_000);
  expect(retryDelayMs(60, policy, () => 0.999)).toBeGreaterThan(3_500_000);
  const created = new Date('2026-12-01T00:00:00Z');
  expect(nextAttemptAt(2, created, new Date('2026-12-01T00:01:00Z'), policy, () => 0.5)).toEqual(new Date('2026-12-01T00:01:01Z'));
  expect(nextAttemptAt(30, created, new Date('2026-12-03T23:59:00Z'), policy, () => 0.5)).toBeNull();
});
