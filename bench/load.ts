// Drives one target (bench/senders.ts) and measures what the issue asks for:
// throughput, latency, the gateway's and the subgraphs' CPU time per request,
// the load generator's own CPU, and every response checked byte for byte:
// during the run where the right answer is known before it, else right after.
import { cpuMs, rssMiB, type Proc } from './cluster';
import { percentile } from './report';
import { paced, saturating, type Outgoing } from './senders';
import { AnswerLog, verifyAfterwards, type Reference } from './verify';

/** One thing to send requests to: request `i` and how its answer is checked. */
export interface Target {
  url: string;
  body(i: number): string;
  /** Headers for request `i`, whose body is exactly `body` (a signature covers the body). */
  headers?(body: string, i: number): Readonly<Record<string, string>>;
  /** The exact answer request `i` must get, where it is known before the run... */
  expected?(i: number): string;
  /** ...else where it is learnt after the timed run, untimed, to compare every recorded answer with. */
  reference?: Reference;
  /** Where its request numbers come from: the run's, unless repeats are harmless and should not use up an operation's variants. */
  numbers?(): number;
}

/** Request numbers of a target's own, from 0. */
export function ownNumbers(): () => number {
  let next = 0;
  return () => next++;
}

export interface Load {
  connections: number;
  /** Run this long first, answers checked but not measured, so the window below sees a steady state. */
  warmSeconds: number;
  /** The measured window, at least. */
  seconds: number;
  /**
   * The window grows by whole seconds until this many answers arrived in it
   * (or `maxSeconds` passed): an operation whose answers take seconds under
   * 50 connections would otherwise close its window before most arrive.
   */
  minAnswers?: number;
  maxSeconds?: number;
  /** Requests per second, sent at even intervals over at most `connections` connections; unset drives to saturation. */
  rate?: number;
  /**
   * After the window, wait until every watched process is idle, so its work
   * does not spill into the next window (default). Off where the figures mean
   * nothing (--quick): every answer is still checked.
   */
  settle?: boolean;
}

/** Whether the measured window may close, `elapsed` seconds after it opened with `answers` in it. */
export function windowDone(load: Load, elapsed: number, answers: number): boolean {
  if (elapsed < load.seconds) return false;
  return answers >= (load.minAnswers ?? 0) || elapsed >= Math.max(load.seconds, load.maxSeconds ?? 0);
}

export interface Sample {
  /** Answers received in the measured window. */
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /**
   * Every answer's latency in the window, ascending, in ms to the hundredth; at
   * a fixed rate only. A summary reads its percentiles over every round's
   * answers pooled: a window at a slow operation's rate holds about 150, whose
   * p99 alone is the second-slowest answer, decided by a single stall.
   */
  latencies?: number[];
  /** The direct replay of several subgraph calls: each call's own sample, in the order our gateway made them. */
  calls?: { subgraph: string; wave: number; sample: Sample }[];
  /** Connection errors, timeouts, non-2xx answers and answers that differ from the expected one, warm-up included. */
  errors: number;
  firstMismatch?: string;
  /** Answers checked against the reference after the run (the rest were checked as they came). */
  checkedAfterwards?: number;
  /** CPU milliseconds per answer in the window; null without /proc (or, for direct runs, without a gateway). */
  gatewayCpuMs: number | null;
  subgraphsCpuMs: number | null;
  /** Share of one core each side used in the window (1 = a full core). */
  gatewayCore: number | null;
  subgraphsCore: number | null;
  loadgenCore: number;
  gatewayRssMiB: number | null;
}

/** Every request in a bench run gets its own number, so unique variants (aliases, idempotency keys) never repeat. */
let nextRequest = 0;
export const takeRequestNumber = () => nextRequest++;

const totalCpu = (procs: readonly Proc[]) => {
  let sum = 0;
  for (const proc of procs) {
    const ms = cpuMs(proc.pid);
    if (ms === null) return null;
    sum += ms;
  }
  return sum;
};

/** The subgraphs' CPU with, on PostgreSQL, their backends' added: the work of a subgraph's statements is done there. */
const addBackends = (subgraphs: number | null, watch: Watched) => (subgraphs === null || !watch.backendsCpuMs ? subgraphs : subgraphs + watch.backendsCpuMs());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the processes are idle. Requests in flight when the sender
 * stopped still run to the end: their CPU belongs to the requests sent, and
 * they must not spill into the next measurement.
 */
async function settle(procs: readonly Proc[]): Promise<void> {
  const first = totalCpu(procs);
  if (first === null) return sleep(1000);
  let last = first;
  let quiet = 0;
  for (const deadline = performance.now() + 20_000; quiet < 2 && performance.now() < deadline; ) {
    await sleep(50);
    // At most one clock tick (10 ms) in 50 ms: timers and the like, not requests.
    const now: number = totalCpu(procs) ?? last;
    quiet = now - last <= 10 ? quiet + 1 : 0;
    last = now;
  }
}

/** What is read at each edge of the measured window. */
interface Snapshot {
  at: number;
  answers: number;
  gateway: number | null;
  subgraphs: number | null;
  loadgen: NodeJS.CpuUsage;
}

/** The processes whose CPU a run reads: the gateway under test, the subgraphs and, on PostgreSQL, the server's backends serving them. */
export interface Watched {
  gateway?: Proc | undefined;
  subgraphs: readonly Proc[];
  backendsCpuMs?: (() => number) | undefined;
}

export async function drive(target: Target, load: Load, watch: Watched): Promise<Sample> {
  if (!target.expected && !target.reference) throw new Error(`${target.url}: a target needs an expected answer or a reference`);
  const log = target.expected ? null : new AnswerLog();
  let mismatches = 0;
  let firstMismatch: string | undefined;
  let answers = 0;
  let windowOpen = false;
  const latencies: number[] = [];
  const gatewayProcs = watch.gateway ? [watch.gateway] : [];
  const snapshot = (): Snapshot => ({
    at: performance.now(),
    answers,
    gateway: watch.gateway ? totalCpu(gatewayProcs) : null,
    subgraphs: addBackends(totalCpu(watch.subgraphs), watch),
    loadgen: process.cpuUsage(),
  });
  const onAnswer = (i: number, status: number, body: string, ms: number) => {
    answers += 1;
    if (windowOpen) latencies.push(ms);
    if (log && status === 200) {
      log.record(i, body);
      return;
    }
    const expected = target.expected?.(i);
    if (status === 200 && body === expected) return;
    mismatches += 1;
    firstMismatch ??= `status ${status}: ${body.slice(0, 300)}${expected === undefined ? '' : ` (expected ${expected.slice(0, 300)})`}`;
  };
  const out: Outgoing = { url: target.url, body: target.body, headers: target.headers ?? (() => ({})), next: target.numbers ?? takeRequestNumber };
  // One run: the warm-up flows into the window without a gap, so the window
  // starts with the load already on, as it is in steady state.
  const sender = load.rate
    ? paced(out, load.rate, load.connections, onAnswer)
    : saturating(out, load.connections, load.warmSeconds + Math.max(load.seconds, load.maxSeconds ?? 0) + 0.5, onAnswer);
  const [first, last] = await new Promise<[Snapshot, Snapshot]>((resolve, reject) => {
    sender.failed.catch(reject);
    setTimeout(() => {
      const opened = snapshot();
      windowOpen = true;
      const closeWhenDone = (elapsed: number) => {
        if (!windowDone(load, elapsed, answers - opened.answers)) {
          setTimeout(() => closeWhenDone(elapsed + 1), 1000);
          return;
        }
        windowOpen = false;
        resolve([opened, snapshot()]);
      };
      setTimeout(() => closeWhenDone(load.seconds), load.seconds * 1000);
    }, load.warmSeconds * 1000);
  });
  const result = await sender.stop();
  const settled = load.settle === false ? async () => {} : () => settle([...gatewayProcs, ...watch.subgraphs]);
  await settled();
  // Untimed: the window is closed (and, unless --quick, every process idle again).
  const verdict = log && target.reference ? await verifyAfterwards(log, target.reference) : null;
  if (verdict) {
    mismatches += verdict.mismatches;
    firstMismatch ??= verdict.firstMismatch;
    // The reference's requests ran on the subgraphs too: none of their work may spill into the next window.
    await settled();
  }
  const wallMs = last.at - first.at;
  const requests = last.answers - first.answers;
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  const perAnswer = (ms: number | null) => (ms === null || requests === 0 ? null : ms / requests);
  const share = (ms: number | null) => (ms === null ? null : ms / wallMs);
  const loadgen = (last.loadgen.user + last.loadgen.system - first.loadgen.user - first.loadgen.system) / 1000;
  latencies.sort((a, b) => a - b);
  if (result.errors && !firstMismatch) firstMismatch = `${result.errors} connection errors (${result.timeouts} timeouts)`;
  return {
    requests,
    seconds: wallMs / 1000,
    rps: requests / (wallMs / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ...(load.rate ? { latencies: latencies.map((ms) => Math.round(ms * 100) / 100) } : {}),
    // A non-2xx answer is also a mismatch, so it is counted once.
    errors: result.errors + mismatches,
    ...(firstMismatch ? { firstMismatch } : {}),
    ...(verdict ? { checkedAfterwards: verdict.checked } : {}),
    gatewayCpuMs: perAnswer(diff(first.gateway, last.gateway)),
    subgraphsCpuMs: perAnswer(diff(first.subgraphs, last.subgraphs)),
    gatewayCore: share(diff(first.gateway, last.gateway)),
    subgraphsCore: share(diff(first.subgraphs, last.subgraphs)),
    loadgenCore: loadgen / wallMs,
    gatewayRssMiB: watch.gateway ? rssMiB(watch.gateway.pid) : null,
  };
}

/** One request outside any timed run, as a client would send it; returns the raw answer. */
export async function send(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
