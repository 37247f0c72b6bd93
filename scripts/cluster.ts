// `npm run cluster`: the graph as a multi-replica deployment on this machine,
// from the production build (refused when older than its sources, as
// `npm run start:prod` does). HAProxy balances clients over two gateways, and
// the gateways and subgraphs over two payments and two merchants replicas;
// one commerce and the sandbox wallet complete it (see cluster/topology.ts).
// Every replica keeps its state in the one PostgreSQL and the one Redis they
// share: DATABASE_URL and REDIS_URL, else this machine's servers.
//
// Each process gets a port from the OS and a process group of its own, and
// writes its output to its own log file. Once the cluster is up, a process
// that dies is restarted with back-off while its twin serves. It prints the
// balancer's URL, and writes what runs where to cluster.json in its working
// folder (a temporary one, removed on exit, unless --work-dir names one).
// Ctrl-C or SIGTERM stops everything.
//
//   npm run cluster [-- --port N] [-- --work-dir DIR]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig, z } from '@interop/kit';
import { whenNpmGone } from '@interop/kit/server';
import { DEFAULT_DEMO_API_KEY } from '../gateway/src/defaults';
import { backingServices, checkBackingServices, redacted } from './cluster/backing-services';
import { freePorts } from './cluster/free-ports';
import { findHaproxy, haproxyConfig, HAPROXY_HEALTH_PATH, serverStates } from './cluster/haproxy-config';
import { assignPorts, planCluster, PORT_COUNT, type ClusterPlan, type ClusterProcess } from './cluster/topology';
import { DEMO_DIST } from './demo-build';
import { builtEntry, servicesBuildIsStale } from './service-build';
import { composeIfStale, SUPERGRAPH_FILE } from './supergraph-file';
import { Supervisor } from './supervisor';

const root = join(__dirname, '..');
const READY_TIMEOUT_MS = 120_000;
const { port: portText, 'work-dir': givenWorkDir } = parseArgs({ options: { port: { type: 'string' }, 'work-dir': { type: 'string' } } }).values;

// The environment as the user gave it: every child gets this copy.
const launchEnv: NodeJS.ProcessEnv = { ...process.env };
const pids = new Map<string, number>();
let manifest: (() => void) | undefined;
let workDir: string | undefined;
let exiting = false;

const supervisor = new Supervisor(
  (reason) => {
    console.error(`${reason}; stopping the rest.`);
    const name = /^(\S+) exited/.exec(reason)?.[1];
    if (name && workDir) printLogTail(name);
    void stopAll(1);
  },
  {
    ownProcessGroups: true,
    onStart: (name, pid) => {
      pids.set(name, pid);
      manifest?.();
    },
  },
);

const logFile = (name: string) => join(workDir ?? tmpdir(), 'logs', `${name}.log`);

function printLogTail(name: string, lines = 20): void {
  try {
    const tail = readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-lines);
    console.error(`--- last lines of ${logFile(name)} ---\n${tail.join('\n')}\n---`);
  } catch {
    // No log was written.
  }
}

/** Resolves once HAProxy has every replica UP (its checks take a second or two after the replicas answer). */
async function waitForBalancer(statsUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${statsUrl};csv`, { signal: AbortSignal.timeout(1000) });
      const states = serverStates(await response.text());
      if (states.length > 0 && states.every((state) => state.status === 'UP')) return;
    } catch {
      // Not answering yet.
    }
    if (exiting) return;
    if (Date.now() > deadline) throw new Error(`HAProxy did not see every replica up within ${timeoutMs / 1000}s (see ${statsUrl})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function writeManifest(plan: ClusterPlan): void {
  const processes = Object.fromEntries(
    plan.processes.map((replica) => [replica.name, { service: replica.service, url: `http://127.0.0.1:${replica.port}/`, pid: pids.get(replica.name) ?? null }]),
  );
  const tiers = Object.fromEntries(plan.haproxy.tiers.map((tier) => [tier.name, `http://127.0.0.1:${tier.port}/`]));
  const content = { url: plan.url, walletUrl: plan.walletPublicUrl, statsUrl: plan.statsUrl, logDir: join(workDir ?? '', 'logs'), tiers, processes, haproxyPid: pids.get('haproxy') ?? null };
  const path = join(workDir ?? '', 'cluster.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  // Renamed over the old one, so a reader never sees half a file.
  renameSync(`${path}.tmp`, path);
}

function startReplica(replica: ClusterProcess, env: NodeJS.ProcessEnv): void {
  supervisor.start({
    name: replica.name,
    args: [builtEntry(replica.service), ...replica.args],
    healthUrl: replica.healthUrl,
    env: { ...env, ...replica.env },
    cwd: root,
    logFile: logFile(replica.name),
  });
}

async function stopAll(exitCode: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  await supervisor.stop();
  if (workDir && !givenWorkDir) rmSync(workDir, { recursive: true, force: true });
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const { DEMO_API_KEY, CLUSTER_PORT } = readConfig(
    z.object({
      DEMO_API_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().default(DEFAULT_DEMO_API_KEY)),
      CLUSTER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    }),
  );
  const balancerPort = portText === undefined ? CLUSTER_PORT : Number(portText);
  if (!Number.isInteger(balancerPort) || balancerPort < 0 || balancerPort > 65535) throw new Error(`--port must be a port number, got ${portText}`);
  const haproxy = findHaproxy();
  if (!haproxy) throw new Error('HAProxy is not installed: install it (Debian: apt-get install -y haproxy) and run again.');
  if (servicesBuildIsStale()) throw new Error('The services\' build is missing or older than their sources: run npm run build first.');
  if (composeIfStale()) console.log('Composed supergraph.graphql from supergraph.yaml.');
  const backing = backingServices(launchEnv);
  await checkBackingServices(backing);

  workDir = givenWorkDir ?? mkdtempSync(join(tmpdir(), 'interop-cluster-'));
  mkdirSync(join(workDir, 'logs'), { recursive: true });
  const ports = assignPorts(await freePorts(PORT_COUNT), balancerPort);
  const demoDir = existsSync(join(DEMO_DIST, 'index.html')) ? DEMO_DIST : undefined;
  const plan = planCluster(ports, { supergraphPath: SUPERGRAPH_FILE, demoDir });
  const haproxyFile = join(workDir, 'haproxy.cfg');
  writeFileSync(haproxyFile, haproxyConfig(plan.haproxy));
  manifest = () => writeManifest(plan);
  // Every signal handled, not just the first: a second Ctrl-C must not end it mid-stop.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  whenNpmGone(() => {
    console.error('npm, which ran this script, is gone (signalled or killed): stopping.');
    void stopAll(0);
  }, launchEnv);

  supervisor.start({
    name: 'haproxy',
    command: haproxy,
    // In the foreground: the supervisor watches it like any other process.
    args: ['-f', haproxyFile, '-db'],
    healthUrl: `http://127.0.0.1:${ports.stats}${HAPROXY_HEALTH_PATH}`,
    env: launchEnv,
    cwd: workDir,
    logFile: logFile('haproxy'),
  });
  await supervisor.waitUntilHealthy('haproxy', READY_TIMEOUT_MS);

  const env: NodeJS.ProcessEnv = { ...launchEnv, DATABASE_URL: backing.databaseUrl, REDIS_URL: backing.redisUrl };
  const gateways = plan.processes.filter((replica) => replica.service === 'gateway');
  const rest = plan.processes.filter((replica) => replica.service !== 'gateway');
  // Both replicas of a service start at once, migrating one schema together, as a rollout would.
  for (const replica of rest) startReplica(replica, env);
  await Promise.all(rest.map((replica) => supervisor.waitUntilHealthy(replica.name, READY_TIMEOUT_MS)));
  // The demo sends this key with every request; the environment keeps it off the process list.
  for (const replica of gateways) startReplica(replica, { ...env, DEMO_API_KEY });
  await Promise.all(gateways.map((replica) => supervisor.waitUntilHealthy(replica.name, READY_TIMEOUT_MS)));
  await waitForBalancer(plan.statsUrl, READY_TIMEOUT_MS);
  if (exiting) return;
  supervisor.markServing();
  writeManifest(plan);

  const replicas = (service: string) =>
    plan.processes
      .filter((replica) => replica.service === service)
      .map((replica) => `${replica.name} :${replica.port}`)
      .join(', ');
  const tierUrl = (name: string) => `http://127.0.0.1:${plan.haproxy.tiers.find((tier) => tier.name === name)?.port}/graphql`;
  console.log(`
Interop Graph cluster is ready: ${plan.url}  (HAProxy in front of ${replicas('gateway')})${demoDir ? `\nDemo web app: ${plan.url}demo/` : ''}
  payments   ${tierUrl('payments')} (HAProxy) -> ${replicas('payments')}
  merchants  ${tierUrl('merchants')} (HAProxy) -> ${replicas('merchants')}
  commerce   http://127.0.0.1:${ports.commerce}/graphql
  Sandbox wallet (approve or decline payments): ${plan.walletPublicUrl}
  HAProxy stats: ${plan.statsUrl}
  PostgreSQL ${redacted(backing.databaseUrl)}, Redis ${redacted(backing.redisUrl)}
  Logs: ${join(workDir, 'logs')}; what runs where: ${join(workDir, 'cluster.json')}
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
