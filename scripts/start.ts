// `npm start`: composes the supergraph if it is stale, builds the demo web app
// if it is stale, starts the three subgraphs, the sandbox wallet and the
// gateway (serving the demo at /demo) as child processes, waits until each
// answers, and prints the URLs. Once the graph is ready, a child that dies is
// restarted with back-off while the rest keeps serving. Ctrl-C or SIGTERM
// stops every process it started, and so does its parent going away (npm
// signalled or killed: see parent-watch). The demo partner's webhook receiver runs in
// this process (127.0.0.1:4005, DEMO_WEBHOOK_RECEIVER_PORT) and is registered
// through the gateway once the graph is ready (scripts/demo-webhooks.ts).
//
// `npm run start:prod` (--built) runs the same graph from the production build
// instead: each service with plain node from its dist/main.js, and the demo
// from web/dist as `npm run build` left it. It refuses a build older than the
// sources rather than serve stale code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, port, readConfig, readServiceConfig, serviceEnv, z, type SubgraphName } from '@interop/kit';
import { whenNpmGone } from '@interop/kit/server';
import { readMerchantsConfig } from '../subgraphs/merchants/src/config';
import { readPaymentsConfig } from '../subgraphs/payments/src/config';
import { readWalletConfig } from '../wallet/src/config';
import { DEFAULT_DEMO_API_KEY } from '../gateway/src/defaults';
import type { ReadinessAnswer } from '../gateway/src/readiness';
import { buildDemoIfStale, DEMO_DIST } from './demo-build';
import { DEFAULT_DEMO_WEBHOOK_RECEIVER_PORT, type DemoWebhookReceiver, startDemoWebhookReceiver } from './demo-webhook-receiver';
import { ensureDemoWebhookEndpoint, partnerWebhooksEnv } from './demo-webhooks';
import { builtEntry, servicesBuildIsStale, sourceEntry, type ServiceName } from './service-build';
import { composeIfStale, SUPERGRAPH_FILE } from './supergraph-file';
import { Supervisor } from './supervisor';

const root = join(__dirname, '..');
const READY_TIMEOUT_MS = 120_000;
/** `npx vite` in web/ serves the demo here (and `vite preview` on 4173). */
const VITE_DEV_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:4173', 'http://127.0.0.1:4173'].join(',');
const { built } = parseArgs({ options: { built: { type: 'boolean', default: false } } }).values;

// The environment as the user gave it, taken before any tool runs in this
// process: every child gets this copy, never what a build tool set since.
const launchEnv: NodeJS.ProcessEnv = { ...process.env };
let exiting = false;
let webhookReceiver: DemoWebhookReceiver | undefined;
const supervisor = new Supervisor((reason) => {
  console.error(`${reason}; stopping the rest.`);
  void stopAll(1);
});

/** Builds web/dist when its sources changed; the graph starts without /demo when the build fails. */
async function demoBuilt(): Promise<boolean> {
  if (built) {
    if (!existsSync(join(DEMO_DIST, 'index.html'))) console.error('web/dist has no build (npm run build), so /demo is off.');
    return existsSync(join(DEMO_DIST, 'index.html'));
  }
  try {
    if (await buildDemoIfStale(launchEnv)) console.log('Built the demo web app into web/dist.');
    return true;
  } catch (error) {
    console.error(`The demo web app did not build, so /demo is off: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function startService(name: ServiceName, args: string[], healthUrl: string, env: NodeJS.ProcessEnv = launchEnv): void {
  const entry = built ? [builtEntry(name)] : ['--import', 'tsx', sourceEntry(name)];
  supervisor.start({ name, args: [...entry, ...args], healthUrl, env, cwd: root });
}

async function stopAll(exitCode: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  await Promise.all([supervisor.stop(), webhookReceiver?.close()]);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const services = readServiceConfig(serviceEnv, launchEnv);
  // Each service's own settings are checked before anything starts, so a wrong one stops here with one line.
  readMerchantsConfig(launchEnv);
  const payments = readPaymentsConfig(partnerWebhooksEnv(launchEnv));
  const wallet = readWalletConfig(launchEnv);
  const { GATEWAY_PORT, DEMO_API_KEY, DEMO_WEBHOOK_RECEIVER_PORT } = readConfig(
    z.object({
      GATEWAY_PORT: port(DEFAULT_PORTS.gateway),
      DEMO_WEBHOOK_RECEIVER_PORT: port(DEFAULT_DEMO_WEBHOOK_RECEIVER_PORT),
      // Empty counts as unset, as for every other variable.
      DEMO_API_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().default(DEFAULT_DEMO_API_KEY)),
    }),
  );
  if (built && servicesBuildIsStale()) throw new Error('The services\' build is missing or older than their sources: run npm run build first.');
  if (composeIfStale()) console.log('Composed supergraph.graphql from supergraph.yaml.');
  // The build runs while the subgraphs start; only the gateway waits for it.
  const demo = demoBuilt();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  whenNpmGone(() => {
    console.error('npm, which ran this script, is gone (signalled or killed): stopping.');
    void stopAll(0);
  }, launchEnv);

  webhookReceiver = await demoWebhookReceiver(DEMO_WEBHOOK_RECEIVER_PORT);
  const subgraphs: SubgraphName[] = ['commerce', 'payments', 'merchants'];
  for (const name of subgraphs) {
    // Payments may send to the demo receiver (plain http on loopback) unless the user said otherwise.
    startService(name, [], `http://127.0.0.1:${services.port(name)}/health`, name === 'payments' ? partnerWebhooksEnv(launchEnv) : launchEnv);
  }
  startService('wallet', [], `http://127.0.0.1:${wallet.WALLET_PORT}/health`);
  await Promise.all([...subgraphs, 'wallet'].map((name) => supervisor.waitUntilHealthy(name, READY_TIMEOUT_MS)));

  const routes = subgraphs.flatMap((name) => ['--subgraph-url', `${name}=${services.peerUrl(name)}`]);
  const withDemo = await demo;
  startService(
    'gateway',
    ['--supergraph', SUPERGRAPH_FILE, '--port', String(GATEWAY_PORT), ...routes, ...(withDemo ? ['--demo', DEMO_DIST] : []), '--docs', join(root, 'docs')],
    `http://127.0.0.1:${GATEWAY_PORT}/health`,
    // The demo sends this key with every request; the environment keeps it off the process list.
    // The demo's development server (Vite) may call the graph from its own origin, unless the user chose the origins.
    { ...launchEnv, DEMO_API_KEY, GATEWAY_CORS_ORIGINS: launchEnv.GATEWAY_CORS_ORIGINS ?? VITE_DEV_ORIGINS },
  );
  await supervisor.waitUntilHealthy('gateway', READY_TIMEOUT_MS);
  // Once its warm-up has run (gateway.config.yaml's warmUp), so the first requests meet a warm graph.
  let readiness: ReadinessAnswer | undefined;
  await supervisor.waitUntil('gateway', READY_TIMEOUT_MS, async () => {
    readiness = (await (await fetch(`http://127.0.0.1:${GATEWAY_PORT}/ready`, { signal: AbortSignal.timeout(5000) })).json()) as ReadinessAnswer;
    return readiness.status !== 'warming' && readiness.status !== 'loading';
  });
  const down = Object.entries(readiness?.subgraphs ?? {}).filter(([, probe]) => !probe.ok);
  if (down.length) console.error(`The gateway serves, but ${down.map(([name]) => name).join(' and ')} did not answer its readiness probe: see their logs.`);
  supervisor.markServing();
  console.log(`\nInterop Graph is ready: http://localhost:${GATEWAY_PORT}/  (Apollo Sandbox in a browser; POST GraphQL here)`);
  if (withDemo) console.log(`Demo web app (interop map, merchants, checkout): http://localhost:${GATEWAY_PORT}/demo/`);
  if (withDemo) console.log(`GraphiQL (the demo's key in its headers): http://localhost:${GATEWAY_PORT}/graphiql`);
  console.log(`Guides: http://localhost:${GATEWAY_PORT}/docs/`);
  console.log(`Sandbox wallet (approve or decline payments): ${payments.walletPublicUrl}\n`);
  if (webhookReceiver) await registerDemoWebhooks(webhookReceiver, `http://127.0.0.1:${GATEWAY_PORT}/graphql`, DEMO_API_KEY);
}

/** The demo partner's receiver; the graph runs without it when its port is taken. */
async function demoWebhookReceiver(port: number): Promise<DemoWebhookReceiver | undefined> {
  try {
    return await startDemoWebhookReceiver({ port });
  } catch (error) {
    console.error(`The demo webhook receiver could not listen on 127.0.0.1:${port} (DEMO_WEBHOOK_RECEIVER_PORT), so it is off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Registers the receiver for the demo partner and hands it the secret; a refusal leaves the rest of the demo running. */
async function registerDemoWebhooks(receiver: DemoWebhookReceiver, graphqlUrl: string, apiKey: string): Promise<void> {
  try {
    const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl, apiKey, receiverUrl: receiver.webhookUrl });
    receiver.setSecrets([endpoint.secret]);
    console.log(`Demo webhook receiver (the demo partner's endpoint ${endpoint.id}): what arrived is at ${receiver.eventsUrl}\n`);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    console.error(`The demo webhook receiver is not registered${code}, so the demo partner gets no webhooks: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
