// freePort and the cluster's freePorts give ports outside the OS's ephemeral
// range, which nothing else is handed, and only ones a server can listen on.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePorts } from '../../../../scripts/cluster/free-ports';
import { freePort } from '../processes';

const PORT_RANGE = '/proc/sys/net/ipv4/ip_local_port_range';

const listenOn = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

test('a port below the ephemeral range that a server can listen on, a different one for each of several taken at once', async () => {
  // Linux says where its range starts; elsewhere it starts higher still (49152).
  const lowestEphemeral = existsSync(PORT_RANGE) ? Number(readFileSync(PORT_RANGE, 'utf8').trim().split(/\s+/)[0]) : 49_152;
  const servers: Server[] = [];
  try {
    for (let i = 0; i < 20; i += 1) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(1024);
      expect(port).toBeLessThan(lowestEphemeral);
      // Held while the next are taken: a port in use is never given.
      servers.push(await listenOn(port));
    }
    expect(new Set(servers.map((server) => (server.address() as { port: number }).port)).size).toBe(20);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
});

test('one call for several ports gives as many different ones, each free', async () => {
  const ports = await freePorts(8);
  expect(new Set(ports).size).toBe(8);
  const servers = await Promise.all(ports.map(listenOn));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});
