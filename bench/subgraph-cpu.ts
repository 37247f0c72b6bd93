// `npm run bench:subgraphs`: what each subgraph spends, in CPU time from
// /proc, on one request of each kind a new caller makes, through our gateway:
// the 50-merchant page with a cursor never sent before, `checkoutOptions` for
// a merchant nobody asked about, and `initiatePayment` with a fresh key. No
// answer comes from the gateway's response cache. Requests go one at a time,
// so no request shares a batch with another.
//
// The services run as they ship: each from its production build (rebuilt
// first when older than its sources) with plain node, under
// NODE_ENV=production, as the image runs them. --source runs them as
// `npm start` does instead: from the TypeScript sources under tsx, in
// development mode (graphql-js then checks every type test for a second copy
// of itself, which on the page costs payments a tenth of its CPU, merchants
// a twentieth).
//
// Flags: --merchants N (5,000), --requests N per operation (60), --warm N
// (requests of each operation first, unmeasured; 500: a service in production
// runs warm, and after 40 V8 had yet to optimise part of each request's path,
// which then cost the page a third more), --ops page,checkout,initiate,
// --profile (a V8 CPU profile of every subgraph, summarised per operation),
// --answers FILE (every answer, for comparing two builds), --out FILE (JSON),
// --webhooks (as under `npm start`: the partner the requests come from has a
// webhook endpoint, a receiver in this process, so each payment also costs
// payments its deliveries, counted once all have arrived).
// With DATABASE_URL the subgraphs keep their data on that PostgreSQL server,
// in a scratch database made for the run and dropped after it; the CPU time
// of the server's backends for that database is reported beside them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeCursor } from '@interop/kit/server';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';
import { startDemoWebhookReceiver, type DemoWebhookReceiver } from '../scripts/demo-webhook-receiver';
import { ensureDemoWebhookEndpoint, partnerWebhooksEnv } from '../scripts/demo-webhooks';
import { builtEntry, buildServicesIfStale, sourceEntry, type ServiceName } from '../scripts/service-build';
import { benchPaymentInput } from './operations';
import { freePort, ROOT } from '@interop/testing/processes';
import { scratchDatabase } from '@interop/testing/scratch-database';
import { BENCH_API_KEY, BENCH_SIGNING_SECRET, BENCH_WALLET_SECRET, CLIENT_HEADERS, writeGatewayConfig } from './auth';
import { answersGraphQL, cpuMs, healthy, listeningUrl, OUR_GATEWAY_LISTENING, postgresBackends, ready, startProcess, stopAll, waitForPeerFacts, waitUntil, type Proc } from './cluster';
import { summariseProfile } from './profile';

const SUBGRAPHS = ['commerce', 'payments', 'merchants'] as const;
/** Merchants fills its store before it answers: a million merchants take minutes. */
const READY_WITHIN_MS = 20 * 60_000;
type Subgraph = (typeof SUBGRAPHS)[number];

interface Settings {
  merchants: number;
  requests: number;
  warm: number;
  ops: string[];
  profile: boolean;
  source: boolean;
  answers: string | null;
  out: string | null;
  webhooks: boolean;
  databaseUrl: string | null;
}

function settings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      merchants: { type: 'string', default: '5000' },
      requests: { type: 'string', default: '60' },
      warm: { type: 'string', default: '500' },
      ops: { type: 'string', default: 'page,checkout,initiate' },
      profile: { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
      answers: { type: 'string' },
      out: { type: 'string' },
      webhooks: { type: 'boolean', default: false },
    },
  });
  const whole = (text: string, name: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return value;
  };
  return {
    merchants: whole(values.merchants, 'merchants', 200),
    requests: whole(values.requests, 'requests', 1),
    warm: whole(values.warm, 'warm', 0),
    ops: values.ops.split(','),
    profile: values.profile,
    source: values.source,
    answers: values.answers ?? null,
    out: values.out ?? null,
    webhooks: values.webhooks,
    databaseUrl: process.env.DATABASE_URL || null,
  };
}

interface Operation {
  id: string;
  title: string;
  /** Request `i`'s body; no two `i` send the same variables. */
  body(i: number): string;
  /** The answer with what differs on every request (ids, times) taken out, for comparing builds. */
  comparable?(answer: unknown): unknown;
}

const merchantId = (seq: number) => `m${String(seq).padStart(7, '0')}`;

function operations(merchantCount: number, total: number): Operation[] {
  const run = randomBytes(4).toString('hex');
  // Spread over the whole id range, each request a place no other request starts from.
  const spread = (i: number, span: number) => 1 + Math.floor((i * span) / total);
  return [
    {
      id: 'page',
      title: '50 merchants, varied cursor',
      body: (i) =>
        JSON.stringify({
          query: `query Page($after: String) { platform(id: "taobao") { merchants(first: 50, after: $after) { edges { node {
            storefronts { platform { name } paymentOptions { tool { name provider } } } } } } } }`,
          variables: { after: encodeCursor(spread(i, Math.floor(merchantCount * 0.9))) },
        }),
    },
    {
      id: 'checkout',
      title: 'checkoutOptions, a new merchant',
      body: (i) =>
        JSON.stringify({
          query: `query CheckoutPage($platformId: ID!, $merchantId: ID!) {
            checkoutOptions(platformId: $platformId, merchantId: $merchantId) { rank isDefault tool { id name } } }`,
          variables: { platformId: 'taobao', merchantId: merchantId(spread(i, merchantCount - 1)) },
        }),
    },
    {
      id: 'initiate',
      title: 'initiatePayment, a fresh key',
      body: (i) =>
        JSON.stringify({
          query: `mutation StartPayment($input: InitiatePaymentInput!) {
            initiatePayment(input: $input) { id status amount { amountMinor currency formatted } nextAction { type url } tool { id name } } }`,
          variables: {
            input: benchPaymentInput(`cpu-${run}-${i}`),
          },
        }),
      // Payment ids, and the wallet's port in each payment's page address, differ from run to run.
      comparable: (answer) =>
        JSON.parse(JSON.stringify(answer).replace(/pay_[0-9a-f]{32}/g, 'pay_*').replace(/\/\/localhost:\d+\//g, '//localhost:*/')),
    },
  ];
}

/** How the services run: as they ship, or from their sources as `npm start` runs them. */
type Launch = { built: boolean };

function start(name: ServiceName, launch: Launch, args: string[], env: Record<string, string>, runDir: string, nodeFlags: string[] = []): Proc {
  return startProcess({
    name,
    entry: launch.built ? builtEntry(name) : sourceEntry(name),
    args,
    // As the image runs them; from the sources, as `npm start` does (startProcess leaves NODE_ENV unset).
    env: launch.built ? { ...env, NODE_ENV: 'production' } : env,
    // Nothing is pinned here: requests go one at a time.
    core: 'rest',
    logDir: runDir,
    nodeFlags,
  });
}

/** A database of its own on the server, so a run never meets another's data, and the CPU its backends have used so far. */
async function benchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void>; backendsCpuMs(): number }> {
  const { name, url, drop } = await scratchDatabase(serverUrl);
  const backends = postgresBackends(name, { pin: false });
  return {
    url: url.toString(),
    backendsCpuMs: () => backends.cpuMs(),
    async drop() {
      backends.stop();
      await drop();
    },
  };
}

interface Result {
  id: string;
  title: string;
  requests: number;
  /** CPU milliseconds per request. */
  cpuMs: Record<Subgraph | 'subgraphs' | 'gateway' | 'wallet', number> & { postgres?: number };
  wallMs: number;
  /** Payments also delivered each payment's webhooks, within the CPU counted. */
  webhooks?: true;
}

async function main(): Promise<void> {
  const s = settings(process.argv.slice(2));
  const runDir = mkdtempSync(join(tmpdir(), 'interop-subgraph-cpu-'));
  const profDir = join(runDir, 'profiles');
  mkdirSync(profDir);
  const database = s.databaseUrl ? await benchDatabase(s.databaseUrl) : null;
  // Every event kept, so their count says when the deliveries have all arrived.
  const receiver = s.webhooks ? await startDemoWebhookReceiver({ port: await freePort(), maxEvents: Number.MAX_SAFE_INTEGER }) : null;
  try {
    const ports = { commerce: await freePort(), payments: await freePort(), merchants: await freePort(), wallet: await freePort() };
    const env: Record<string, string> = {
      COMMERCE_PORT: String(ports.commerce),
      PAYMENTS_PORT: String(ports.payments),
      MERCHANTS_PORT: String(ports.merchants),
      WALLET_PORT: String(ports.wallet),
      SUBGRAPH_HOST: '127.0.0.1',
      DATA_DIR: join(runDir, 'data'),
      MERCHANT_COUNT: String(s.merchants),
      SUBGRAPH_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      WALLET_SIGNING_SECRET: BENCH_WALLET_SECRET,
      LOG_LEVEL: 'info',
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    const flags = (name: string) => (s.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, name)}`] : []);
    const launch: Launch = { built: !s.source };
    if (launch.built && (await buildServicesIfStale())) console.log('Built the services (npm run build) from their changed sources.');
    const services: Record<Subgraph | 'wallet', Proc> = {
      commerce: start('commerce', launch, [], env, runDir, flags('commerce')),
      payments: start('payments', launch, [], receiver ? (partnerWebhooksEnv(env) as Record<string, string>) : env, runDir, flags('payments')),
      merchants: start('merchants', launch, [], env, runDir, flags('merchants')),
      wallet: start('wallet', launch, [], env, runDir),
    };
    const how = launch.built ? 'as built, NODE_ENV=production' : 'from the sources under tsx';
    console.log(`Starting the services ${how} (${s.merchants.toLocaleString('en')} merchants on ${database ? 'PostgreSQL' : 'PGlite'}); logs in ${runDir}`);
    await Promise.all(
      (['commerce', 'payments', 'merchants', 'wallet'] as const).map((name) => waitUntil(services[name], healthy(`http://127.0.0.1:${ports[name]}/health`), READY_WITHIN_MS)),
    );
    await waitForPeerFacts([
      { holder: 'payments', proc: services.payments, port: ports.payments },
      { holder: 'merchants', proc: services.merchants, port: ports.merchants },
    ]);
    const urls = Object.fromEntries(SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]));
    const supergraph = join(runDir, 'supergraph.graphql');
    writeFileSync(supergraph, composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml')), urls));
    const gateway = start(
      'gateway',
      launch,
      ['--supergraph', supergraph, '--config', writeGatewayConfig(runDir, true), '--port', '0', '--host', '127.0.0.1'],
      { ...env, APOLLO_TELEMETRY_DISABLED: 'true' },
      runDir,
    );
    const gatewayUrl = await listeningUrl(gateway, runDir, OUR_GATEWAY_LISTENING, READY_WITHIN_MS);
    await waitUntil(gateway, answersGraphQL(gatewayUrl), READY_WITHIN_MS);
    // Its warm-up has run (what a new user meets after `npm start`), and its CPU is not counted as a request's.
    await waitUntil(gateway, ready(gatewayUrl), READY_WITHIN_MS);
    if (receiver) {
      const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl: gatewayUrl, apiKey: BENCH_API_KEY, receiverUrl: receiver.webhookUrl });
      receiver.setSecrets([endpoint.secret]);
    }

    const send = async (body: string): Promise<unknown> => {
      const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...CLIENT_HEADERS }, body });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || answer.errors) throw new Error(`unexpected answer: ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
      return answer;
    };
    const cpu = () => {
      const sample: Record<string, number> = {};
      for (const [name, proc] of [...Object.entries(services), ['gateway', gateway] as const]) sample[name] = cpuMs(proc.pid) ?? NaN;
      return sample;
    };

    const total = s.warm + s.requests;
    const results: Result[] = [];
    const answers: Record<string, unknown[]> = {};
    const windows: Record<string, { from: number; to: number }> = {};
    for (const op of operations(s.merchants, total).filter((candidate) => s.ops.includes(candidate.id))) {
      for (let i = 0; i < s.warm; i += 1) await send(op.body(s.requests + i));
      if (receiver) await deliveriesSettled(receiver);
      const before = cpu();
      const pgBefore = database?.backendsCpuMs() ?? 0;
      const from = process.hrtime.bigint();
      const kept: unknown[] = [];
      for (let i = 0; i < s.requests; i += 1) {
        const answer = await send(op.body(i));
        kept.push(op.comparable ? op.comparable(answer) : answer);
      }
      const to = process.hrtime.bigint();
      if (receiver) await deliveriesSettled(receiver);
      const after = cpu();
      const pgAfter = database?.backendsCpuMs() ?? 0;
      windows[op.id] = { from: Number(from / 1000n), to: Number(to / 1000n) };
      answers[op.id] = kept;
      const per = (name: string) => ((after[name] ?? NaN) - (before[name] ?? NaN)) / s.requests;
      const perSubgraph = Object.fromEntries(SUBGRAPHS.map((name) => [name, per(name)])) as Record<Subgraph, number>;
      const result: Result = {
        id: op.id,
        title: op.title,
        requests: s.requests,
        cpuMs: {
          ...perSubgraph,
          subgraphs: SUBGRAPHS.reduce((sum, name) => sum + perSubgraph[name], 0),
          gateway: per('gateway'),
          wallet: per('wallet'),
          ...(database ? { postgres: (pgAfter - pgBefore) / s.requests } : {}),
        },
        wallMs: Number(to - from) / 1e6 / s.requests,
        ...(receiver ? { webhooks: true } : {}),
      };
      results.push(result);
      const f = (ms: number | undefined) => (ms === undefined ? '' : ms.toFixed(2).padStart(7));
      console.log(
        `${op.title.padEnd(34)} subgraphs ${f(result.cpuMs.subgraphs)} ms  (commerce ${f(result.cpuMs.commerce)}, payments ${f(result.cpuMs.payments)}, merchants ${f(result.cpuMs.merchants)})` +
          `  gateway ${f(result.cpuMs.gateway)}  wallet ${f(result.cpuMs.wallet)}${database ? `  postgres ${f(result.cpuMs.postgres)}` : ''}  wall ${f(result.wallMs)}`,
      );
    }
    if (s.answers) writeFileSync(s.answers, `${JSON.stringify(answers, null, 1)}\n`);
    if (s.out) writeFileSync(s.out, `${JSON.stringify({ merchants: s.merchants, engine: database ? 'postgres' : 'pglite', results }, null, 2)}\n`);

    await stopAll();
    if (s.profile) {
      for (const name of SUBGRAPHS) {
        const dir = join(profDir, name);
        const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
        if (!file) continue;
        for (const [op, window] of Object.entries(windows)) {
          const summary = summariseProfile(join(dir, file), 25, window);
          console.log(`\n${name}, ${op}: ${(summary.total / s.requests).toFixed(2)} ms sampled per request`);
          for (const area of summary.areas.slice(0, 12)) console.log(`  ${(area.share * 100).toFixed(1).padStart(5)}%  ${area.name}`);
          console.log('  --');
          for (const fn of summary.functions) console.log(`  ${(fn.share * 100).toFixed(1).padStart(5)}%  ${fn.name}`);
        }
      }
      console.log(`\nProfiles in ${profDir}`);
    } else {
      rmSync(runDir, { recursive: true, force: true });
    }
  } finally {
    await stopAll();
    await receiver?.close();
    await database?.drop();
  }
}

/** Waits until no delivery has arrived for a second (the worker is told of each commit, so none is late by a poll). */
async function deliveriesSettled(receiver: DemoWebhookReceiver): Promise<void> {
  let seen = -1;
  for (let waited = 0; waited < 120_000; waited += 1000) {
    const now = receiver.events().length;
    if (now === seen) return;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('webhook deliveries still arriving after two minutes');
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll(5_000);
  process.exit(1);
});
