// Every process's server keeps idle connections longer than the balancers in
// front of it (65 s unless HTTP_KEEP_ALIVE_TIMEOUT_MS says otherwise), and
// announces it, so clients and balancers close first.
import { createServer, get, type Server } from 'node:http';
import { ConfigError } from '../config';
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, keepAliveTimeoutMs, listen } from '../http';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function announcedKeepAlive(idleTimeoutMs?: number): Promise<string | undefined> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  const port = await listen(server, 0, '127.0.0.1', idleTimeoutMs);
  return new Promise((resolve, reject) => {
    get({ port, host: '127.0.0.1', agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.headers['keep-alive'])));
    }).on('error', reject);
  });
}

it('keeps idle connections 65 s by default and says so', async () => {
  expect(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThanOrEqual(65_000);
  expect(keepAliveTimeoutMs({})).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
  expect(await announcedKeepAlive()).toBe('timeout=65');
});

it('takes HTTP_KEEP_ALIVE_TIMEOUT_MS, and refuses a value that is not a sensible duration', async () => {
  expect(keepAliveTimeoutMs({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' })).toBe(120_000);
  expect(keepAliveTimeoutMs({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '' })).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
  for (const wrong of ['5s', '-1', '10', '999999999']) expect(() => keepAliveTimeoutMs({ HTTP_KEEP_ALIVE_TIMEOUT_MS: wrong })).toThrow(ConfigError);
  expect(await announcedKeepAlive(120_000)).toBe('timeout=120');
});
