// `npm run bench`: our gateway against a stock @apollo/gateway and against the
// subgraphs called directly, on the same subgraph processes and data. See
// docs/performance.md. Flags: --mode varied|cached|both (default both: varied
// first), --quick, --merchants N, --rounds N, --ops 1,3, --out FILE,
// --profile (a CPU profile of our gateway under operation 3, or the first of --ops, in the first mode, at
// saturation; with --profile-rate N at N requests a second instead, as the fixed-rate windows send them),
// --node-flags="..." (extra Node flags for our gateway, to try a setting),
// --no-response-cache (our gateway with its response cache off).
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { startRecorder, type SubgraphCall } from './capture';
import {
  makeRunDir,
  pinning,
  pinSelf,
  startOurGateway,
  startStockGateway,
  startSubgraphs,
  stopAll,
  stopProcess,
  type Gateway,
  type Proc,
  type Subgraphs,
} from './cluster';
import { PARTNERS } from './auth';
import { drive, send, takeRequestNumber, type Load, type Sample, type Target, type Watched } from './load';
import { operations, TRAFFICS, type Operation, type Traffic } from './operations';
import { check, checkRateLimit, plan, VerificationError, type Capture, type Plan } from './plan';
import { hasErrors } from './verify';
import { summariseProfile } from './profile';
import {
  evaluateTargets,
  markdownTable,
  medianOf,
  rssLine,
  rssRounds,
  subgraphCostLine,
  directCallLines,
  subgraphCosts,
  type ByTraffic,
  type Mode,
  type OperationResult,
  type Phase,
} from './report';
import { ROOT } from '@interop/testing/processes';

const RESULTS = join(ROOT, 'bench', 'results');

interface Settings {
  quick: boolean;
  merchants: number;
  rounds: number;
  warmSeconds: number;
  saturationSeconds: number;
  fixedSeconds: number;
  /** The issue's setting for saturation. */
  saturationConnections: number;
  /** At most this many connections at the fixed rate: the pool opens them only while requests wait for one. */
  fixedConnections: number;
  /** Connections that warm a gateway up, unmeasured. */
  warmConnections: number;
  /** Windows grow (up to maxWindowSeconds) until this many answers are in them: slow operations answer seconds after they are sent. */
  saturationMinAnswers: number;
  fixedMinAnswers: number;
  maxWindowSeconds: number;
  /** Answers each gateway gives an operation, unmeasured, before its first round: a gateway in service runs warm. */
  gatewayWarmAnswers: number;
  /** The fixed rate is this share of the slower gateway's saturation throughput (ours', where stock cannot run the operation). */
  rateShare: number;
  /** Varied traffic, cached traffic, or both (varied first). */
  traffics: Traffic[];
  ops: string[] | null;
  out: string | null;
  profile: boolean;
  /** Requests a second for the profile; null profiles at saturation. */
  profileRate: number | null;
  /** Extra Node flags for our gateway only, to try a setting (e.g. --max-semi-space-size=64) before changing code. */
  nodeFlags: string[];
  /** Our gateway's response cache, on as shipped; off to measure the gateway without it. */
  responseCache: boolean;
  /** DATABASE_URL: the subgraphs and the wallet keep their data on that server (in a database of the run's own) instead of PGlite. */
  databaseUrl: string | null;
}

function settings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      merchants: { type: 'string' },
      rounds: { type: 'string' },
      ops: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-rate': { type: 'string' },
      'node-flags': { type: 'string' },
      'no-response-cache': { type: 'boolean', default: false },
      mode: { type: 'string', default: 'both' },
    },
  });
  const quick = values.quick ?? false;
  const merchants = Number(values.merchants ?? process.env.MERCHANT_COUNT ?? (quick ? 2000 : 100_000));
  const rounds = Number(values.rounds ?? (quick ? 1 : 3));
  if (!Number.isInteger(merchants) || merchants < 100) throw new Error('--merchants must be a whole number of at least 100');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be at least 1');
  const profileRate = values['profile-rate'] === undefined ? null : Number(values['profile-rate']);
  if (profileRate !== null && (!Number.isInteger(profileRate) || profileRate < 1)) throw new Error('--profile-rate must be a whole number of requests a second');
  const mode = values.mode ?? 'both';
  if (mode !== 'both' && !TRAFFICS.includes(mode as Traffic)) throw new Error('--mode must be varied, cached or both');
  return {
    quick,
    merchants,
    rounds,
    // --quick only proves the harness works: its numbers mean little, so its windows are as short as a window can be.
    warmSeconds: quick ? 0 : 0.75,
    saturationSeconds: quick ? 0.1 : 1.25,
    // About 600 answers a round at the page's fixed rate: each p99 then rests on a dozen answers over two
    // rounds, not on the fourth slowest, which a single collection decided.
    fixedSeconds: quick ? 0.1 : 6,
    // Under --quick, a few: autocannon stops with every connection's request unanswered, and 50 payments
    // left queued in the payments subgraph kept the next window's request waiting past its timeout on a busy machine.
    saturationConnections: quick ? 4 : 50,
    fixedConnections: 50,
    warmConnections: 10,
    // Twice the connections at saturation: every connection's first answer, then a steady state.
    saturationMinAnswers: quick ? 0 : 100,
    // At a slow operation's fixed rate (about 20 a second) fewer answers leave a second of background work
    // (timers, a collection) weighing on each one.
    fixedMinAnswers: quick ? 0 : 150,
    maxWindowSeconds: 20,
    // V8 optimises a function after it has run many times: per-request code needs hundreds of requests to
    // reach the form it runs in for the rest of a gateway's life.
    gatewayWarmAnswers: quick ? 0 : 600,
    rateShare: 0.5,
    traffics: mode === 'both' ? [...TRAFFICS] : [mode as Traffic],
    ops: values.ops ? values.ops.split(',') : null,
    out: values.out ?? null,
    profile: (values.profile ?? false) || profileRate !== null,
    profileRate,
    nodeFlags: values['node-flags']?.split(' ').filter(Boolean) ?? [],
    responseCache: !values['no-response-cache'],
    databaseUrl: process.env.DATABASE_URL || null,
  };
}

/**
 * The direct case for an operation of several subgraph calls: each call is
 * driven alone, then combined. The subgraphs share one core, so an operation
 * costs the sum of its calls' times (throughput adds as 1/Σ(1/rps)); latency
 * adds over waves of calls our gateway runs one after another, taking the
 * slowest call of each wave.
 */
function combine(samples: Sample[], calls: SubgraphCall[]): Sample {
  const waves = new Map<number, Sample[]>();
  samples.forEach((sample, k) => waves.set(calls[k]!.wave, [...(waves.get(calls[k]!.wave) ?? []), sample]));
  const sumOverWaves = (metric: (s: Sample) => number) => [...waves.values()].reduce((sum, wave) => sum + Math.max(...wave.map(metric)), 0);
  const sum = (metric: (s: Sample) => number | null) => samples.reduce<number | null>((acc, s) => (acc === null || metric(s) === null ? null : acc + metric(s)!), 0);
  const mean = (metric: (s: Sample) => number | null) => {
    const total = sum(metric);
    return total === null ? null : total / samples.length;
  };
  const mismatch = samples.find((s) => s.firstMismatch)?.firstMismatch;
  return {
    requests: Math.min(...samples.map((s) => s.requests)),
    seconds: samples.reduce((acc, s) => acc + s.seconds, 0),
    rps: 1 / samples.reduce((acc, s) => acc + 1 / s.rps, 0),
    p50: sumOverWaves((s) => s.p50),
    p99: sumOverWaves((s) => s.p99),
    errors: samples.reduce((acc, s) => acc + s.errors, 0),
    ...(mismatch ? { firstMismatch: mismatch } : {}),
    gatewayCpuMs: null,
    subgraphsCpuMs: sum((s) => s.subgraphsCpuMs),
    gatewayCore: null,
    subgraphsCore: mean((s) => s.subgraphsCore),
    loadgenCore: mean((s) => s.loadgenCore) ?? 0,
    gatewayRssMiB: null,
    calls: samples.map((sample, k) => ({ subgraph: calls[k]!.subgraph, wave: calls[k]!.wave, sample })),
  };
}

const MODES: Mode[] = ['ours', 'stock', 'direct'];

async function measure(p: Plan, mode: Mode, load: Load, gateways: Record<Gateway['name'], Gateway>, subgraphs: Subgraphs): Promise<Sample | null> {
  const watch = (gateway?: Gateway) => watching(subgraphs, gateway?.proc);
  if (mode !== 'direct') {
    const target = p.gateways.get(mode);
    return target ? drive(target, load, watch(gateways[mode])) : null;
  }
  if (!p.direct) return null;
  const samples: Sample[] = [];
  for (const target of p.direct.targets) samples.push(await drive(target, load, watch()));
  return samples.length === 1 ? samples[0]! : combine(samples, p.direct.calls);
}

/** What a run reads the CPU of: the subgraphs (with their database's backends on PostgreSQL) and the gateway under test, if any. */
function watching(subgraphs: Subgraphs, gateway?: Proc): Watched {
  return { gateway, subgraphs: subgraphs.procs, backendsCpuMs: subgraphs.backendsCpuMs };
}

async function main(): Promise<void> {
  const s = settings(process.argv.slice(2));
  const runDir = makeRunDir();
  let failed = false;
  const cleanUp = async () => {
    await stopAll();
    if (failed) console.error(`Logs of every process are kept in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      failed = true;
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    if (s.profile) await profile(s, runDir);
    else failed = !(await bench(s, runDir));
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await cleanUp();
  }
  if (failed) process.exitCode = 1;
}

async function bench(s: Settings, runDir: string): Promise<boolean> {
  const started = Date.now();
  const wanted = (op: Operation) => !s.ops || s.ops.includes(op.id) || (op.rateFrom !== undefined && s.ops.includes(op.rateFrom));
  const opsBy = new Map(s.traffics.map((traffic) => [traffic, operations(s.merchants, traffic).filter(wanted)]));
  console.log(
    `Interop Graph bench: ${s.merchants.toLocaleString('en')} merchants on ${s.databaseUrl ? "PostgreSQL (DATABASE_URL; its backends pinned to the subgraphs' core and counted with them)" : 'PGlite'}, ${s.traffics.join(' then ')} traffic, ${s.rounds} round(s), ` +
      (pinning ? `gateway on core ${pinning.gateway}, subgraphs and load generator on core ${pinning.rest}` : 'not pinned (no taskset)'),
  );
  const subgraphs = await startSubgraphs(s.merchants, runDir, s.databaseUrl);
  console.log(`Subgraphs and wallet up in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  // The gateways start while the subgraph calls are captured.
  const starting = Promise.all([startOurGateway(subgraphs.supergraphPath, runDir, { nodeFlags: s.nodeFlags, responseCache: s.responseCache }), startStockGateway(subgraphs.supergraphPath, runDir)]);
  starting.catch(() => {});
  const recorder = await startRecorder(subgraphs.urls);
  const captured = new Map<string, Capture[]>();
  try {
    for (const [traffic, ops] of opsBy) {
      for (const op of ops.filter((o) => !o.directFrom)) {
        const variants: Capture[] = [];
        for (let v = 0; v < (op.capturePool ?? 1); v += 1) {
          const c = takeRequestNumber() % (op.pool ?? Number.MAX_SAFE_INTEGER);
          variants.push({ c, calls: (await recorder.capture(op.body(c))).calls });
        }
        captured.set(`${traffic} ${op.id}`, variants);
      }
    }
  } finally {
    await recorder.stop();
  }
  const [ours, stock] = await starting;
  // Only now: processes inherit their parent's cores, and start-up (loading Apollo, booting PGlite) is quicker on both.
  pinSelf();
  const gateways = { ours, stock };
  await checkRateLimit(ours);
  const plansBy = new Map<Traffic, Plan[]>();
  for (const [traffic, ops] of opsBy) {
    const plans: Plan[] = [];
    for (const op of ops) plans.push(await plan(op, ours, stock, captured.get(`${traffic} ${op.id}`)));
    plansBy.set(traffic, plans);
  }
  const stockless = [...new Set([...plansBy.values()].flat().filter((p) => p.notMeasured.stock).map((p) => `op ${p.op.id}`))];
  const calls = [...captured].map(([key, variants]) => `${key} ${variants[0]!.calls.map((call) => `${call.subgraph}@${call.wave}`).join(' ')}${variants.length > 1 ? ` (${variants.length} variants)` : ''}`);
  console.log(
    `Ready in ${((Date.now() - started) / 1000).toFixed(0)} s. Every operation answers the same through both gateways` +
      (stockless.length ? ` (${stockless.join(', ')}: through ours only; the stock gateway is refused UNAUTHENTICATED)` : '') +
      `; subgraph calls captured for direct replay: ${calls.join(', ')}.`,
  );

  // The subgraphs' first seconds under load (JIT, PGlite's caches) would otherwise land in round 1 of
  // whichever mode runs first: every operation's direct calls warm them, unmeasured.
  for (const p of s.quick ? [] : (plansBy.values().next().value ?? [])) {
    for (const target of p.direct?.targets ?? []) {
      const warming = await drive(target, { connections: s.saturationConnections, warmSeconds: 0, seconds: s.warmSeconds }, watching(subgraphs));
      if (warming.errors) console.error(`op ${p.op.id} warming the subgraphs: ${warming.errors} errors; first: ${warming.firstMismatch}`);
    }
  }

  const byTraffic: ByTraffic = {};
  for (const [traffic, plans] of plansBy) byTraffic[traffic] = await measureTraffic(traffic, plans, s, gateways, subgraphs, started);

  // Ours and the direct calls must never fail. The stock gateway's own failures (its fetcher now and
  // then reuses a keep-alive socket the subgraph is closing) are the baseline's, shown in its column.
  const errorsOf = (results: readonly OperationResult[], mode: Mode) =>
    results.reduce((sum, r) => sum + (mode === 'direct' && r.directFrom ? 0 : [...r.modes[mode].saturation, ...r.modes[mode].fixed].reduce((e, x) => e + x.errors, 0)), 0);
  const allResults = Object.values(byTraffic).flat();
  const errors = { ours: errorsOf(allResults, 'ours'), stock: errorsOf(allResults, 'stock'), direct: errorsOf(allResults, 'direct') };
  const targets = evaluateTargets(byTraffic, s.merchants);
  const table = markdownTable(byTraffic);
  console.log(`\n${table}\n`);
  for (const target of targets) console.log(`${target.met === null ? 'n/a    ' : target.met ? 'met    ' : 'NOT MET'}  ${target.name}: ${target.detail}`);
  if (byTraffic.varied) console.log(`\nvaried: subgraphs' CPU ms per request through ours: ${subgraphCostLine(byTraffic.varied)}`);
  if (byTraffic.varied) for (const line of directCallLines(byTraffic.varied)) console.log(`varied: ${line}`);
  for (const [traffic, results] of Object.entries(byTraffic)) console.log(`${traffic}: ${rssLine(results)}`);
  for (const result of allResults.filter((r) => r.repeatedVariants)) {
    console.log(`op ${result.id}: ${result.repeatedVariants} requests more than its distinct variants, so some were repeated (fewer rounds or more merchants avoid it)`);
  }
  console.log(
    errors.ours + errors.direct
      ? `\nFAILED: ${errors.ours} wrong or failed responses through our gateway, ${errors.direct} from the subgraphs directly (see above).`
      : `\nEvery response was checked: none wrong or failed through our gateway or directly; ${errors.stock} failed through the stock gateway.`,
  );

  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    pinning,
    merchants: s.merchants,
    quick: s.quick,
    traffic: s.traffics,
    rounds: s.rounds,
    seconds: { warm: s.warmSeconds, saturation: s.saturationSeconds, fixed: s.fixedSeconds },
    connections: { saturation: s.saturationConnections, fixed: s.fixedConnections, fixedPacing: 'even intervals, open loop' },
    minAnswers: { saturation: s.saturationMinAnswers, fixed: s.fixedMinAnswers, withinSeconds: s.maxWindowSeconds },
    fixedPercentiles: 'over every round\'s answers at the fixed rate, pooled',
    gatewayWarmAnswers: s.gatewayWarmAnswers,
    rateShare: s.rateShare,
    partners: PARTNERS,
    ourNodeFlags: s.nodeFlags,
    ourResponseCache: s.responseCache,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  const traffic = Object.fromEntries(
    Object.entries(byTraffic).map(([name, results]) => [
      name,
      { errors: { ours: errorsOf(results, 'ours'), stock: errorsOf(results, 'stock'), direct: errorsOf(results, 'direct') }, subgraphCpuMs: subgraphCosts(results), rssRounds: rssRounds(results), operations: results },
    ]),
  );
  const out = s.out ?? join(RESULTS, `${meta.date.replace(/[:.]/g, '-')}-${s.merchants}${s.quick ? '-quick' : ''}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  // Each window's latencies are read into the percentiles above; the file keeps those, not thousands of numbers.
  const withoutLatencies = (key: string, value: unknown) => (key === 'latencies' ? undefined : value);
  writeFileSync(out, JSON.stringify({ meta, errors, targets, table, traffic }, withoutLatencies, 2) + '\n');
  if (!s.out && !s.quick && !s.ops && s.traffics.length === TRAFFICS.length) copyFileSync(out, join(RESULTS, 'latest.json'));
  console.log(`Results: ${out} (${meta.wallSeconds} s)`);
  return errors.ours + errors.direct === 0;
}

/** Every operation of one kind of traffic, in interleaved rounds: saturation first, then the fixed rate. */
async function measureTraffic(
  traffic: Traffic,
  plans: readonly Plan[],
  s: Settings,
  gateways: Record<Gateway['name'], Gateway>,
  subgraphs: Subgraphs,
  started: number,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  const rates = new Map<string, number>();
  for (const p of plans) {
    const firstRequest = takeRequestNumber();
    const phases: Record<Mode, Phase> = { ours: { saturation: [], fixed: [] }, stock: { saturation: [], fixed: [] }, direct: { saturation: [], fixed: [] } };
    const run = async (phase: keyof Phase, load: Load) => {
      for (let round = 0; round < s.rounds; round += 1) {
        for (const mode of MODES) {
          const sample = await measure(p, mode, load, gateways, subgraphs);
          if (sample) phases[mode][phase].push(sample);
          if (sample?.errors) console.error(`${traffic} op ${p.op.id} ${mode} ${phase}: ${sample.errors} errors; first: ${sample.firstMismatch}`);
        }
      }
    };
    const grow = (minAnswers: number) => ({ minAnswers, maxSeconds: s.maxWindowSeconds, settle: !s.quick });
    if (s.gatewayWarmAnswers) await warmGateways(p, s, gateways, subgraphs, traffic);
    await run('saturation', { connections: s.saturationConnections, warmSeconds: s.warmSeconds, seconds: s.saturationSeconds, ...grow(s.saturationMinAnswers) });
    const median = (samples: Sample[]) => medianOf(samples.map((x) => x.rps));
    const measured = [phases.ours.saturation, phases.stock.saturation].filter((samples) => samples.length);
    const rate = (p.op.rateFrom && rates.get(p.op.rateFrom)) || Math.max(1, Math.floor(s.rateShare * Math.min(...measured.map(median))));
    rates.set(p.op.id, rate);
    // Warm from the saturation runs, and every second at the rate is like the first: no lead-in.
    await run('fixed', { connections: s.fixedConnections, warmSeconds: 0, seconds: s.fixedSeconds, rate, ...grow(s.fixedMinAnswers) });
    // Request numbers taken by this operation through the gateways, every round: more than its variants means some repeated.
    const sent = takeRequestNumber() - firstRequest;
    const repeatedVariants = p.op.variants && sent > p.op.variants ? sent - p.op.variants : 0;
    results.push({ id: p.op.id, title: p.op.title, rate, directFrom: p.op.directFrom ?? null, notMeasured: p.notMeasured, modes: phases, ...(repeatedVariants ? { repeatedVariants } : {}) });
    console.log(`${traffic} op ${p.op.id} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  for (const result of results) {
    if (result.directFrom) result.modes.direct = results.find((r) => r.id === result.directFrom)?.modes.direct ?? result.modes.direct;
  }
  return results;
}

/** Runs an operation through each gateway, unmeasured, until it is warm (see Settings.gatewayWarmAnswers). */
async function warmGateways(p: Plan, s: Settings, gateways: Record<Gateway['name'], Gateway>, subgraphs: Subgraphs, traffic: Traffic): Promise<void> {
  for (const name of ['ours', 'stock'] as const) {
    const target = p.gateways.get(name);
    if (target) await warm(target, s, watching(subgraphs, gateways[name].proc), `${traffic} op ${p.op.id} warming ${name}`);
  }
}

/** Drives `target`, unmeasured, with the warm-up's few connections until it has answered enough (see Settings.gatewayWarmAnswers). */
async function warm(target: Target, s: Settings, watch: Watched, label: string): Promise<void> {
  const load: Load = { connections: s.warmConnections, warmSeconds: 0, seconds: 1, minAnswers: s.gatewayWarmAnswers, maxSeconds: s.maxWindowSeconds };
  const warming = await drive(target, load, watch);
  if (warming.errors) console.error(`${label}: ${warming.errors} errors; first: ${warming.firstMismatch}`);
}

/**
 * A CPU profile of our gateway while one operation (3, or the first of --ops)
 * runs at saturation, or at `--profile-rate` requests a second, summarised
 * with the sampled time per answer, so the two can be compared.
 */
async function profile(s: Settings, runDir: string): Promise<void> {
  const seconds = s.quick ? 3 : 15;
  const subgraphs = await startSubgraphs(s.merchants, runDir, s.databaseUrl);
  const profDir = join(runDir, 'profile');
  const ours = await startOurGateway(subgraphs.supergraphPath, runDir, { nodeFlags: [...s.nodeFlags, '--cpu-prof', `--cpu-prof-dir=${profDir}`], responseCache: s.responseCache });
  pinSelf();
  const id = s.ops?.[0] ?? '3';
  const traffic = s.traffics[0]!;
  const op = operations(s.merchants, traffic).find((o) => o.id === id);
  if (!op) throw new Error(`no operation ${id}`);
  const target: Target = { url: ours.url, body: op.body, headers: (_body, i) => op.headers(i), ...(await profileAnswers(op, ours.url)) };
  const watch = watching(subgraphs, ours.proc);
  // Unprofiled, as the bench warms each gateway (warmGateways): every process starts cold, and the subgraphs
  // share one core with the load generator. Driven at once by the profiled load, merchants' queue outgrew the
  // gateway's 5 s timeout in the first seconds (its requests answered in under 40 ms once a handful had run).
  await warm(target, s, watch, `${traffic} op ${id} warming`);
  const micros = () => Number(process.hrtime.bigint() / 1000n);
  const from = micros();
  const load: Load = s.profileRate
    ? { connections: s.fixedConnections, rate: s.profileRate, warmSeconds: 2, seconds, minAnswers: s.fixedMinAnswers, maxSeconds: s.maxWindowSeconds }
    : { connections: s.saturationConnections, warmSeconds: 2, seconds };
  const sample = await drive(target, load, watch);
  // Up to the end of the measured window: the answers are checked after it, by
  // asking the gateway again through fetch, which accepts compressed answers.
  const to = from + Math.round((load.warmSeconds + sample.seconds) * 1e6);
  // The profile is written when the process exits.
  await stopProcess(ours.proc);
  const file = readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the gateway wrote no CPU profile');
  mkdirSync(RESULTS, { recursive: true });
  const kept = join(RESULTS, `op${id}-ours.cpuprofile`);
  copyFileSync(join(profDir, file), kept);
  const summary = summariseProfile(kept, 25, { from, to });
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const how = s.profileRate ? `at ${s.profileRate} req/s` : 'at saturation';
  const cpu = sample.gatewayCpuMs === null ? '' : `, gateway ${sample.gatewayCpuMs.toFixed(2)} ms CPU per answer`;
  console.log(`${traffic} op ${id} through our gateway ${how}: ${sample.rps.toFixed(0)} req/s, ${sample.errors} errors, gateway core ${pct(sample.gatewayCore ?? 0)}${cpu}`);
  if (sample.firstMismatch) console.log(`First error: ${sample.firstMismatch}`);
  console.log(`Profile: ${kept} (${(summary.total / 1000).toFixed(1)} s of gateway work, idle excluded)\n\nBy package:`);
  for (const cost of summary.areas) console.log(`  ${pct(cost.share).padStart(6)}  ${cost.name}`);
  console.log('\nBy function (self time):');
  for (const cost of summary.functions) console.log(`  ${pct(cost.share).padStart(6)}  ${cost.name}`);
}

/**
 * How the profiled requests are checked, with no stock gateway running: a
 * varied operation's answers against ours' own answer to the same request,
 * asked again afterwards; the others against answers fetched before.
 */
async function profileAnswers(op: Operation, url: string): Promise<Pick<Target, 'expected' | 'reference'>> {
  if (op.answerKey) return { reference: { name: 'our gateway', fetch: (i) => send(url, op.body(i), op.headers(i)), key: op.answerKey } };
  // Operations that cycle through variants are checked against each variant's own answer.
  const variants = op.pool ?? 1;
  const answers: string[] = [];
  for (let i = 0; i < variants; i += 1) {
    const answer = await send(url, op.body(i), op.headers(i));
    check(answer.status === 200 && !hasErrors(answer.text), `op ${op.id} answered ${answer.text.slice(0, 300)}`);
    answers.push(answer.text);
  }
  // An operation with a token (op 4's alias) differs from the first answer by just that.
  return { expected: (i) => (op.token ? answers[0]!.replaceAll(op.token(0), op.token(i)) : answers[i % variants]!) };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof VerificationError ? `Verification failed: ${error.message}` : error);
  process.exitCode = 1;
});
