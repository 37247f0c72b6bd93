// The processes under measurement: the subgraphs and the wallet on one core,
// each gateway on the other, every service started from the production build
// (rebuilt first when older than its sources) with plain node, and stopped
// again however the bench ends. Also reads their CPU time and memory
// from /proc.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';
import { DEMO_DATA_VERSION } from '../subgraphs/merchants/src/store/demo-data';
import { builtEntry, buildServicesIfStale } from '../scripts/service-build';
import { stopChild } from '../scripts/supervisor';
import { metricByLabel } from '@interop/testing/metrics';
import { freePort, ROOT } from '@interop/testing/processes';
import { scratchDatabase } from '@interop/testing/scratch-database';
import { BENCH_SIGNING_SECRET, writeGatewayConfig } from './auth';

export type Core = 'gateway' | 'rest';

/** Which core each side gets, or none where taskset is missing (or the machine has one core). */
export const pinning = ((): Record<Core, string> | null => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return Number(cores) >= 2 ? { gateway: '0', rest: '1' } : null;
})();

/** Moves this process (the load generator) and every thread it has onto the subgraphs' core. */
export function pinSelf(): void {
  if (pinning) execFileSync('taskset', ['-a', '-cp', pinning.rest, String(process.pid)], { stdio: 'ignore' });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  core: Core;
}

const running = new Set<Proc>();

export interface StartOptions {
  name: string;
  /** A built service's dist/main.js, run by plain node, or a TypeScript file, run under tsx. */
  entry: string;
  args?: string[];
  env: Record<string, string>;
  core: Core;
  logDir: string;
  nodeFlags?: string[];
}

/**
 * Starts an entry point. Output goes to a log file: piping it here would
 * charge the load generator's core for every log line.
 */
export function startProcess(options: StartOptions): Proc {
  const log = openSync(join(options.logDir, `${options.name}.log`), 'a');
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Every process runs as it ships (jest's NODE_ENV=test would silence logs), on what the bench
  // gives it and not on the caller's environment: PGlite under DATA_DIR unless `env` names a
  // database (the run's own, see startSubgraphs), no Redis.
  delete env.NODE_ENV;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, options.env);
  const loader = options.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const args = [...(options.nodeFlags ?? []), ...loader, resolve(ROOT, options.entry), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
  if (child.pid === undefined) throw new Error(`cannot start ${options.name}`);
  const proc = { name: options.name, child, pid: child.pid, core: options.core };
  running.add(proc);
  child.once('exit', () => running.delete(proc));
  return proc;
}

/**
 * Pins a started process, every thread it has, to its core. Done once it is
 * ready, so start-up (loading Apollo and PGlite) uses both cores;
 * threads it starts later inherit the pinning.
 */
export function pin(proc: Proc): void {
  if (pinning) execFileSync('taskset', ['-a', '-cp', pinning[proc.core], String(proc.pid)], { stdio: 'ignore' });
}

export function stopProcess(proc: Proc, graceMs = 15_000): Promise<void> {
  return stopChild(proc.child, graceMs);
}

/** Run once every process has stopped (a run's database is dropped then). */
const afterStop: (() => Promise<void>)[] = [];

export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((proc) => stopProcess(proc, graceMs)));
  for (const finish of afterStop.splice(0)) await finish();
}

/** Polls until `probe` answers true; fails early when the process exits. */
export async function waitUntil(proc: Pick<Proc, 'name' | 'child'>, probe: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}; see its log`);
    try {
      if (await probe()) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000}s`);
}

/**
 * The URL a process started on port 0 logged once it listened. A port picked
 * free beforehand can be taken before the process binds it (the recording
 * proxies listen on port 0 while the gateways start), and a probe would then
 * reach whatever took it.
 */
export async function listeningUrl(proc: Pick<Proc, 'name' | 'child'>, logDir: string, pattern: RegExp, timeoutMs = 180_000): Promise<string> {
  const log = join(logDir, `${proc.name}.log`);
  let url: string | undefined;
  await waitUntil(proc, async () => (url = pattern.exec(readFileSync(log, 'utf8'))?.[1]) !== undefined, timeoutMs);
  return url!;
}

/** The line our gateway logs once it listens, with its URL. */
export const OUR_GATEWAY_LISTENING = /"url":"(http:[^"]+)"[^\n]*"msg":"gateway listening"/;

/** A service is up once its health route answers 2xx. */
export const healthy = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** Our gateway at `url` is ready: its warm-up has run and every subgraph answers. */
export const ready = (url: string) => healthy(new URL('/ready', url).href);

/** The peers whose facts each subgraph holds, as its `<subgraph>_peer_facts_loads_total` metric names them. */
const HELD_PEER_FACTS = { payments: ['commerce', 'merchants'], merchants: ['commerce'] } as const;

export type PeerFactsHolder = keyof typeof HELD_PEER_FACTS;

/** True once the subgraph has loaded every entity of each peer it holds facts of (its peer facts metrics say so). */
const peerFactsLoaded = (holder: PeerFactsHolder, port: number) => async () => {
  const loads = await metricByLabel(`http://127.0.0.1:${port}/metrics`, `${holder}_peer_facts_loads_total`, 'owner');
  return HELD_PEER_FACTS[holder].every((owner) => (loads[owner] ?? 0) >= 1);
};

/**
 * Waits until payments and merchants hold their peers' facts, as a running
 * deployment does (they load in the background once each hears its peers'
 * fact events), and says how long that took.
 */
export async function waitForPeerFacts(holders: readonly { holder: PeerFactsHolder; proc: Pick<Proc, 'name' | 'child'>; port: number }[]): Promise<void> {
  const started = Date.now();
  await Promise.all(holders.map(({ holder, proc, port }) => waitUntil(proc, peerFactsLoaded(holder, port), 30 * 60_000)));
  console.log(`Payments and merchants held their peers' facts ${((Date.now() - started) / 1000).toFixed(1)} s after they answered their health checks.`);
}

/** A GraphQL endpoint is up once it answers a trivial query (the stock gateway has no health route). */
export const answersGraphQL = (url: string) => async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ __typename }"}',
    signal: AbortSignal.timeout(2000),
  });
  return response.ok;
};

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, all threads) of a process so far, in milliseconds; null without /proc. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident memory of a process in MiB; null without /proc. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface Subgraphs {
  urls: Record<'commerce' | 'payments' | 'merchants', string>;
  procs: Proc[];
  supergraphPath: string;
  /** On PostgreSQL: the CPU time so far of the server's backends serving the run's database, in ms (see postgresBackends). */
  backendsCpuMs?: () => number;
}

/**
 * The PostgreSQL backends serving the run's `database`, found in /proc by
 * their process titles: with `pin`, each is pinned to the subgraphs' core when
 * first seen (the gateway's core runs the gateway alone), and `cpuMs` is the CPU time
 * they have used so far. A backend that has ended keeps the time it had when
 * last seen, so the sum only grows; the services' pools keep their
 * connections open while they are busy, so little is lost that way. Found
 * again every second while the run lasts, so a new connection is pinned soon.
 */
export function postgresBackends(database: string, options: { pin: boolean }): { cpuMs(): number; stop(): void } {
  // A server with a cluster_name (Debian's "15/main") puts it first: "postgres: 15/main: <user> <database> ...".
  const title = new RegExp(`^postgres: (?:\\S+: )?\\S+ ${database} `);
  const lastSeen = new Map<number, number>();
  const look = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        if (!title.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) continue;
      } catch {
        continue;
      }
      if (!lastSeen.has(pid) && options.pin && pinning) execFileSync('taskset', ['-a', '-cp', pinning.rest, String(pid)], { stdio: 'ignore' });
      const ms = cpuMs(pid);
      if (ms !== null) lastSeen.set(pid, ms);
    }
  };
  const timer = setInterval(look, 1000);
  timer.unref();
  return {
    cpuMs() {
      look();
      let sum = 0;
      for (const ms of lastSeen.values()) sum += ms;
      return sum;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * The merchants data folder for `count` merchants: generated once by the
 * merchants subgraph itself (PGlite takes ~6 s per 100k rows) into a cache
 * under the OS temp dir, then copied into each run's fresh DATA_DIR so no run
 * sees another's writes.
 */
async function merchantData(count: number, dataDir: string, logDir: string): Promise<void> {
  const cache = join(tmpdir(), 'interop-graph-bench', `merchants-v${DEMO_DATA_VERSION}-${count}`);
  if (!existsSync(cache)) {
    const staging = `${cache}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    const port = await freePort();
    const started = Date.now();
    console.log(`Generating ${count.toLocaleString('en')} merchants (once; cached in ${cache})...`);
    const proc = startProcess({
      name: 'merchants-seed',
      entry: builtEntry('merchants'),
      env: { DATA_DIR: staging, MERCHANT_COUNT: String(count), MERCHANTS_PORT: String(port), SUBGRAPH_HOST: '127.0.0.1' },
      core: 'rest',
      logDir,
    });
    try {
      await waitUntil(proc, healthy(`http://127.0.0.1:${port}/health`), 30 * 60_000);
    } finally {
      await stopProcess(proc);
    }
    // A clean stop leaves a consistent folder; only then does it become the cache.
    renameSync(join(staging, 'merchants'), cache);
    rmSync(staging, { recursive: true, force: true });
    console.log(`Generated in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  }
  cpSync(cache, join(dataDir, 'merchants'), { recursive: true });
}

export function makeRunDir(): string {
  return mkdtempSync(join(tmpdir(), 'interop-graph-bench-'));
}

/**
 * Starts commerce, payments, merchants and the wallet on free ports, and
 * writes the supergraph routed to them. On PGlite by default; with
 * `databaseUrl`, in a database of the run's own on that server, which the
 * merchants subgraph fills on start and which is dropped once every process
 * has stopped.
 */
export async function startSubgraphs(merchantCount: number, runDir: string, databaseUrl: string | null = null): Promise<Subgraphs> {
  if (await buildServicesIfStale()) console.log('Built the services (npm run build) from their changed sources.');
  const dataDir = join(runDir, 'data');
  const database = databaseUrl ? await scratchDatabase(databaseUrl) : null;
  const backends = database ? postgresBackends(database.name, { pin: true }) : null;
  if (database && backends) {
    afterStop.push(async () => {
      backends.stop();
      await database.drop();
    });
  } else await merchantData(merchantCount, dataDir, runDir);
  const [commerce, payments, merchants, wallet] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env = {
    ...(database ? { DATABASE_URL: database.url.toString() } : {}),
    COMMERCE_PORT: String(commerce),
    PAYMENTS_PORT: String(payments),
    MERCHANTS_PORT: String(merchants),
    WALLET_PORT: String(wallet),
    SUBGRAPH_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    MERCHANT_COUNT: String(merchantCount),
    SUBGRAPH_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    // The stock gateway cannot sign callers' identities: it reaches the subgraphs as an anonymous
    // caller through the development switch. Our gateway and the direct replay sign every request.
    ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: 'true',
  };
  const services = [
    { name: 'commerce', entry: builtEntry('commerce'), port: commerce },
    { name: 'payments', entry: builtEntry('payments'), port: payments },
    { name: 'merchants', entry: builtEntry('merchants'), port: merchants },
    { name: 'wallet', entry: builtEntry('wallet'), port: wallet },
  ];
  const procs = services.map((service) => startProcess({ ...service, env, core: 'rest', logDir: runDir }));
  await Promise.all(procs.map((proc, i) => waitUntil(proc, healthy(`http://127.0.0.1:${services[i]!.port}/health`))));
  const holder = (name: PeerFactsHolder) => {
    const index = services.findIndex((service) => service.name === name);
    return { holder: name, proc: procs[index]!, port: services[index]!.port };
  };
  await waitForPeerFacts([holder('payments'), holder('merchants')]);
  procs.forEach(pin);
  const urls = {
    commerce: `http://127.0.0.1:${commerce}/graphql`,
    payments: `http://127.0.0.1:${payments}/graphql`,
    merchants: `http://127.0.0.1:${merchants}/graphql`,
  };
  const supergraphPath = join(runDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml')), urls));
  return { urls, procs, supergraphPath, ...(backends ? { backendsCpuMs: () => backends.cpuMs() } : {}) };
}

export interface Gateway {
  name: 'ours' | 'stock';
  url: string;
  proc: Proc;
}

/**
 * Our gateway from the production build, with the
 * shipped gateway.config.yaml but for the bench partner's key and a rate-limit
 * budget no run can spend (see auth.ts).
 */
export async function startOurGateway(
  supergraphPath: string,
  runDir: string,
  { nodeFlags = [], responseCache = true }: { nodeFlags?: string[]; responseCache?: boolean } = {},
): Promise<Gateway> {
  await buildServicesIfStale();
  const config = writeGatewayConfig(runDir, responseCache);
  const proc = startProcess({
    name: 'gateway-ours',
    entry: builtEntry('gateway'),
    args: ['--supergraph', supergraphPath, '--config', config, '--port', '0', '--host', '127.0.0.1'],
    // Its shipping defaults, including one info log line per request and rate-limit counts in memory.
    env: { LOG_LEVEL: 'info', APOLLO_TELEMETRY_DISABLED: 'true', SUBGRAPH_SIGNING_SECRET: BENCH_SIGNING_SECRET },
    core: 'gateway',
    logDir: runDir,
    nodeFlags,
  });
  const url = await listeningUrl(proc, runDir, OUR_GATEWAY_LISTENING);
  await waitUntil(proc, answersGraphQL(url));
  // Its warm-up (gateway.config.yaml's) has run: nothing measured shares the cores with it.
  await waitUntil(proc, ready(url));
  pin(proc);
  return { name: 'ours', url, proc };
}

export async function startStockGateway(supergraphPath: string, runDir: string): Promise<Gateway> {
  const proc = startProcess({
    name: 'gateway-stock',
    entry: 'bench/stock-gateway.ts',
    args: [supergraphPath, '0'],
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
    core: 'gateway',
    logDir: runDir,
  });
  const url = await listeningUrl(proc, runDir, /stock gateway listening on (http:\S+)/);
  await waitUntil(proc, answersGraphQL(url));
  pin(proc);
  return { name: 'stock', url, proc };
}
