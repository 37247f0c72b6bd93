// Ports free on 127.0.0.1 for processes started on a known port, and started
// again on the same port after a crash. They are tried at random below the
// range the OS takes ephemeral ports from (32768-60999 on Linux, 49152-65535
// on macOS and Windows): the OS never hands one of these to a `listen(0)` or
// to an outgoing connection's source, so a port stays free between the probe
// and the start, and between a kill and the restart. From the ephemeral range,
// a connection made in that gap could take it (EADDRINUSE on a restart).
// Each probe listens on the port and releases it; one call's ports are held
// until all are found, so it never gives the same port twice.
import { createServer, type Server } from 'node:net';

const PORTS = { from: 20_000, to: 32_767 } as const;
const PROBES_PER_PORT = 50;

/** Listens on `port`; null when the OS refuses it (in use, or not ours to take). */
function hold(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < count) {
      let server: Server | null = null;
      for (let probe = 0; probe < PROBES_PER_PORT && !server; probe += 1) {
        const port = PORTS.from + Math.floor(Math.random() * (PORTS.to - PORTS.from + 1));
        if (!ports.includes(port)) server = await hold(port);
      }
      if (!server) throw new Error(`no free port among ${PROBES_PER_PORT} tried between ${PORTS.from} and ${PORTS.to}`);
      held.push(server);
      ports.push((server.address() as { port: number }).port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
