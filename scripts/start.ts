// `npm start`: composes the supergraph if it is stale, builds the demo web app
// if it is stale, starts the three subgraphs, the sandbox wallet and the
// gateway (serving the demo at /demo) as child processes, waits until each
// answers, and prints the URLs. Ctrl-C or SIGTERM stops every process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, port, readConfig, readServiceConfig, z, type SubgraphName } from '@interop/kit';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';
import { DEFAULT_DEMO_API_KEY } from '../gateway/src/demo';
import { buildDemoIfStale, DEMO_DIST } from './demo-build';

const root = join(__dirname, '..');
const READY_TIMEOUT_MS = 120_000;

interface Service {
  name: string;
  child: ChildProcess;
  healthUrl: string;
}

const children: Service[] = [];
let stopping = false;

function composeIfStale(): void {
  const output = join(root, 'supergraph.graphql');
  const sdl = composeSupergraph(readSupergraphConfig(join(root, 'supergraph.yaml'))) + '\n';
  if (existsSync(output) && readFileSync(output, 'utf8') === sdl) return;
  writeFileSync(output, sdl);
  console.log('Composed supergraph.graphql from supergraph.yaml.');
}

/** Builds web/dist when its sources changed; the graph starts without /demo when the build fails. */
async function demoBuilt(): Promise<boolean> {
  try {
    if (await buildDemoIfStale()) console.log('Built the demo web app into web/dist.');
    return true;
  } catch (error) {
    console.error(`The demo web app did not build, so /demo is off: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function startProcess(name: string, entry: string, args: string[], healthUrl: string, env: NodeJS.ProcessEnv = process.env): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const service = { name, child, healthUrl };
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? `code ${code}`}); stopping the rest.`);
    void stopAll(1);
  });
  children.push(service);
  return service;
}

async function waitUntilHealthy(service: Service): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited before it was ready`);
    try {
      const response = await fetch(service.healthUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${service.name} did not become ready within ${READY_TIMEOUT_MS / 1000}s`);
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const services = readServiceConfig();
  const { GATEWAY_PORT, DEMO_API_KEY } = readConfig(
    z.object({
      GATEWAY_PORT: port(DEFAULT_PORTS.gateway),
      // Empty counts as unset, as for every other variable.
      DEMO_API_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().default(DEFAULT_DEMO_API_KEY)),
    }),
  );
  composeIfStale();
  // The build runs while the subgraphs start; only the gateway waits for it.
  const demo = demoBuilt();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const subgraphs: SubgraphName[] = ['commerce', 'payments', 'merchants'];
  const started = subgraphs.map((name) =>
    startProcess(name, `subgraphs/${name}/src/main.ts`, [], `http://127.0.0.1:${services.port(name)}/health`),
  );
  started.push(startProcess('wallet', 'wallet/src/main.ts', [], `http://127.0.0.1:${services.WALLET_PORT}/health`));
  await Promise.all(started.map(waitUntilHealthy));

  const routes = subgraphs.flatMap((name) => ['--subgraph-url', `${name}=${services.peerUrl(name)}`]);
  const withDemo = await demo;
  const gateway = startProcess(
    'gateway',
    'gateway/src/main.ts',
    ['--supergraph', join(root, 'supergraph.graphql'), '--port', String(GATEWAY_PORT), ...routes, ...(withDemo ? ['--demo', DEMO_DIST] : [])],
    `http://127.0.0.1:${GATEWAY_PORT}/health`,
    // The demo sends this key with every request; the environment keeps it off the process list.
    { ...process.env, DEMO_API_KEY },
  );
  await waitUntilHealthy(gateway);
  console.log(`\nInterop Graph is ready: http://localhost:${GATEWAY_PORT}/  (Apollo Sandbox in a browser; POST GraphQL here)`);
  if (withDemo) console.log(`Demo web app (interop map, merchants, checkout): http://localhost:${GATEWAY_PORT}/demo/`);
  console.log(`Sandbox wallet (approve or decline payments): ${services.walletPublicUrl}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
