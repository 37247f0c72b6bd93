// Medians over rounds, a table per kind of traffic (varied first: the
// headline), and the targets read from them.
import type { Sample } from './load';
import type { Traffic } from './operations';

export interface Phase {
  /** One sample per round, at saturation (RPS, where the ceiling is). */
  saturation: Sample[];
  /** One sample per round, at the fixed rate (latency, CPU per request, RSS after load). */
  fixed: Sample[];
}

export type Mode = 'ours' | 'stock' | 'direct';

export interface OperationResult {
  id: string;
  title: string;
  rate: number;
  directFrom: string | null;
  /** Modes that cannot run the operation, with the reason; they have no samples. */
  notMeasured: Partial<Record<Mode, string>>;
  modes: Record<Mode, Phase>;
  /** Requests beyond the operation's distinct variants (varied traffic): so many were repeats. */
  repeatedVariants?: number;
}

/** The value at fraction `p` of ascending `sorted` (nearest rank). */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const median = (samples: readonly Sample[], metric: (s: Sample) => number | null): number | null => {
  const values = samples.map(metric).filter((v): v is number => v !== null);
  return values.length ? medianOf(values) : null;
};

export interface Summary {
  rps: number | null;
  gatewayCore: number | null;
  loadgenCore: number | null;
  subgraphsCore: number | null;
  p50: number | null;
  p99: number | null;
  /** At the fixed rate, where the targets read it. */
  gatewayCpuMs: number | null;
  /** At saturation: the gateway's own work without an idle core's wake-up between two requests. */
  saturationGatewayCpuMs: number | null;
  subgraphsCpuMs: number | null;
  errors: number;
  /** After the last round's load; and how much it grew from the first round's. */
  rssMiB: number | null;
  rssGrowthMiB: number | null;
}

/**
 * A fixed-rate percentile over every round's answers pooled (see
 * Sample.latencies); the median of the rounds' own where a sample has none
 * (the direct replay of several calls, combined from its calls' figures).
 */
function fixedPercentile(fixed: readonly Sample[], p: 0.5 | 0.99): number | null {
  if (fixed.length === 0 || !fixed.every((s) => s.latencies)) return median(fixed, (s) => (p === 0.5 ? s.p50 : s.p99));
  const pooled = fixed.flatMap((s) => s.latencies!).sort((a, b) => a - b);
  return pooled.length ? percentile(pooled, p) : null;
}

export function summarise(phase: Phase): Summary {
  const { saturation: sat, fixed } = phase;
  const rss = fixed.map((s) => s.gatewayRssMiB).filter((v): v is number => v !== null);
  return {
    rps: median(sat, (s) => s.rps),
    gatewayCore: median(sat, (s) => s.gatewayCore),
    loadgenCore: median(sat, (s) => s.loadgenCore),
    subgraphsCore: median(sat, (s) => s.subgraphsCore),
    p50: fixedPercentile(fixed, 0.5),
    p99: fixedPercentile(fixed, 0.99),
    gatewayCpuMs: median(fixed, (s) => s.gatewayCpuMs),
    saturationGatewayCpuMs: median(sat, (s) => s.gatewayCpuMs),
    subgraphsCpuMs: median(fixed, (s) => s.subgraphsCpuMs),
    errors: [...sat, ...fixed].reduce((sum, s) => sum + s.errors, 0),
    rssMiB: rss.at(-1) ?? null,
    rssGrowthMiB: rss.length > 1 ? rss.at(-1)! - rss[0]! : null,
  };
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const num = (value: number | null, digits = 0) => (value === null ? '–' : value.toFixed(digits));
const pct = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);
const times = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);
const ms = (value: number | null) => (value === null ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));

export type ByTraffic = Partial<Record<Traffic, readonly OperationResult[]>>;

export const TRAFFIC_HEADINGS: Record<Traffic, string> = {
  varied: 'Varied traffic: every request new (no cached answer, no shared subgraph read)',
  cached: 'Cached / repeated requests',
};

/** The varied table first, the cached one after it, each under its heading. */
export function markdownTable(byTraffic: ByTraffic): string {
  return (['varied', 'cached'] as const)
    .filter((traffic) => byTraffic[traffic])
    .map((traffic) => `**${TRAFFIC_HEADINGS[traffic]}**\n\n${trafficTable(byTraffic[traffic]!)}`)
    .join('\n\n');
}

export function trafficTable(results: readonly OperationResult[]): string {
  const lines = [
    '| op | | RPS at saturation | gateway core | gateway CPU ms/req at saturation | load-gen core | fixed rate | p50 ms | p99 ms | gateway CPU ms/req | subgraphs CPU ms/req | errors | RSS MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const notes: string[] = [];
  for (const result of results) {
    const [ours, stock, direct] = (['ours', 'stock', 'direct'] as const).map((mode) => summarise(result.modes[mode]));
    const row = (mode: Mode, label: string, s: Summary, first: string) => {
      const reason = result.notMeasured[mode];
      if (reason) notes.push(`n/a: op ${result.id} through ${mode}: ${reason}.`);
      return reason
        ? `| ${first} | ${label} | n/a | | | | | | | | | | |`
        : `| ${first} | ${label} | ${num(s.rps)} | ${pct(s.gatewayCore)} | ${ms(s.saturationGatewayCpuMs)} | ${pct(s.loadgenCore)} | ${num(result.rate)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.gatewayCpuMs)} | ${ms(s.subgraphsCpuMs)} | ${s.errors} | ${num(s.rssMiB)} |`;
    };
    lines.push(row('ours', 'ours', ours!, `**${result.id}** ${result.title}`), row('stock', 'stock', stock!, ''));
    lines.push(row('direct', result.directFrom ? `direct (op ${result.directFrom})` : 'direct', direct!, ''));
    if (!result.notMeasured.stock) {
      lines.push(
        `| | ours/stock | ${times(ratio(ours!.rps, stock!.rps))} | | ${times(ratio(ours!.saturationGatewayCpuMs, stock!.saturationGatewayCpuMs))} | | | ${times(ratio(ours!.p50, stock!.p50))} | ${times(ratio(ours!.p99, stock!.p99))} | ${times(ratio(ours!.gatewayCpuMs, stock!.gatewayCpuMs))} | | | ${times(ratio(ours!.rssMiB, stock!.rssMiB))} |`,
      );
    }
    lines.push(`| | ours/direct | ${times(ratio(ours!.rps, direct!.rps))} | | | | | ${times(ratio(ours!.p50, direct!.p50))} | ${times(ratio(ours!.p99, direct!.p99))} | | | | |`);
  }
  // A blank line first: a line of text right under a table would read as one more row.
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export interface TargetResult {
  name: string;
  /** null when the run did not measure what the target needs. */
  met: boolean | null;
  detail: string;
}

/** Both kinds of traffic's targets, each name led by its traffic. */
export function evaluateTargets(byTraffic: ByTraffic, merchants: number): TargetResult[] {
  const label = (traffic: Traffic, targets: TargetResult[]) => targets.map((t) => ({ ...t, name: `${traffic}: ${t.name}` }));
  return [
    ...(byTraffic.varied ? label('varied', variedTargets(byTraffic.varied)) : []),
    ...(byTraffic.cached ? label('cached', cachedTargets(byTraffic.cached, merchants)) : []),
  ];
}

const at = (value: number | null, limit: number, atMost: boolean) => (value === null ? null : atMost ? value <= limit : value >= limit);
const all = (...checks: (boolean | null)[]) => (checks.some((c) => c === null) ? null : checks.every(Boolean));

const summaries = (results: readonly OperationResult[]) => (id: string) => {
  const result = results.find((r) => r.id === id);
  return result && { ours: summarise(result.modes.ours), stock: summarise(result.modes.stock), direct: summarise(result.modes.direct) };
};

/** Ours over stock for one operation. */
const toStock = (op: { ours: Summary; stock: Summary }) => ({
  cpu: ratio(op.ours.gatewayCpuMs, op.stock.gatewayCpuMs),
  p99: ratio(op.ours.p99, op.stock.p99),
  rps: ratio(op.ours.rps, op.stock.rps),
});

/** The same ratio at saturation, shown beside a target read at the fixed rate. */
const atSaturation = (op: { ours: Summary; stock: Summary }) =>
  `; at saturation ${times(ratio(op.ours.saturationGatewayCpuMs, op.stock.saturationGatewayCpuMs))} (${ms(op.ours.saturationGatewayCpuMs)} vs ${ms(op.stock.saturationGatewayCpuMs)} ms)`;

/** The engine's targets, on traffic no cache can answer: ratios to stock within the run. */
function variedTargets(results: readonly OperationResult[]): TargetResult[] {
  const get = summaries(results);
  const targets: TargetResult[] = [];
  const op3 = get('3');
  if (op3) {
    const { cpu, p99 } = toStock(op3);
    targets.push({
      name: 'op 3: gateway CPU/req ≤ 0.5× stock and p99 ≤ 0.5× stock at the fixed rate',
      met: all(at(cpu, 0.5, true), at(p99, 0.5, true)),
      detail: `CPU ${times(cpu)} (${ms(op3.ours.gatewayCpuMs)} vs ${ms(op3.stock.gatewayCpuMs)} ms${atSaturation(op3)}), p99 ${times(p99)} (${ms(op3.ours.p99)} vs ${ms(op3.stock.p99)} ms)`,
    });
  }
  const cpuTarget = (id: string, limit: number) => {
    const op = get(id);
    if (!op) return;
    const { cpu } = toStock(op);
    targets.push({ name: `op ${id}: gateway CPU/req ≤ ${limit}× stock`, met: at(cpu, limit, true), detail: `CPU ${times(cpu)} (${ms(op.ours.gatewayCpuMs)} vs ${ms(op.stock.gatewayCpuMs)} ms${atSaturation(op)})` });
  };
  cpuTarget('1', 0.5);
  cpuTarget('4', 0.7);
  targets.push(...memoryAndCorrectness(results));
  return targets;
}

/** Subgraph CPU per request for each operation: what the subgraphs cost through each gateway and alone. */
export function subgraphCosts(results: readonly OperationResult[]): { id: string; ours: number | null; stock: number | null; direct: number | null }[] {
  return results.map((r) => ({
    id: r.id,
    ours: summarise(r.modes.ours).subgraphsCpuMs,
    stock: summarise(r.modes.stock).subgraphsCpuMs,
    direct: r.directFrom ? null : summarise(r.modes.direct).subgraphsCpuMs,
  }));
}

export function subgraphCostLine(results: readonly OperationResult[]): string {
  return subgraphCosts(results)
    .map((c) => `op ${c.id} ${ms(c.ours)} (stock ${ms(c.stock)}${c.direct === null ? '' : `, direct ${ms(c.direct)}`})`)
    .join('; ');
}

/**
 * For each operation the direct replay drove call by call: every subgraph
 * call alone at the fixed rate, its latency over all rounds pooled and the
 * subgraphs' CPU per call (median of rounds), so a tail or a cost can be
 * traced to the call that has it.
 */
export function directCallLines(results: readonly OperationResult[]): string[] {
  return results.flatMap((r) => {
    const rounds = r.directFrom ? [] : r.modes.direct.fixed.filter((s) => s.calls);
    if (rounds.length === 0) return [];
    const calls = rounds[0]!.calls!.map((call, k) => {
      const samples = rounds.map((round) => round.calls![k]!.sample);
      const figures = summarise({ saturation: [], fixed: samples });
      return `${call.subgraph} (wave ${call.wave}) p50 ${ms(figures.p50)}, p99 ${ms(figures.p99)}, CPU ${ms(figures.subgraphsCpuMs)}`;
    });
    return [`op ${r.id} direct, each subgraph call alone at the fixed rate (ms): ${calls.join('; ')}`];
  });
}

/** Our gateway's (and stock's) RSS after each fixed-rate round of each operation, in the order taken. */
export function rssRounds(results: readonly OperationResult[]): { id: string; ours: number[]; stock: number[] }[] {
  const readings = (samples: readonly Sample[]) => samples.map((s) => s.gatewayRssMiB).filter((v): v is number => v !== null);
  return results.map((r) => ({ id: r.id, ours: readings(r.modes.ours.fixed), stock: readings(r.modes.stock.fixed) }));
}

/**
 * Whether RSS grew across repeated rounds of the same operation: its last
 * reading above its first by more than 5% of the highest reading (the heap
 * breathes between collections by about that much). null with one round.
 */
export function rssGrew(readings: readonly number[]): boolean | null {
  if (readings.length < 2) return null;
  return readings.at(-1)! - readings[0]! > 0.05 * Math.max(...readings);
}

export function rssLine(results: readonly OperationResult[]): string {
  const rounds = rssRounds(results).filter((r) => r.ours.length);
  const grew = rounds.map((r) => rssGrew(r.ours));
  const verdict = grew.some((g) => g === true) ? 'yes' : grew.every((g) => g === null) ? 'n/a (one round)' : 'no';
  return `our gateway's RSS after each round (MiB): ${rounds.map((r) => `op ${r.id} ${r.ours.map((v) => v.toFixed(0)).join(' → ')}`).join('; ')}; grew across rounds: ${verdict}`;
}

function memoryAndCorrectness(results: readonly OperationResult[]): TargetResult[] {
  const targets: TargetResult[] = [];
  const rss = results.map((r) => ({ ours: summarise(r.modes.ours), stock: summarise(r.modes.stock) }));
  const peak = (mode: 'ours' | 'stock') => {
    const readings = rss.map((r) => r[mode].rssMiB).filter((v): v is number => v !== null);
    return readings.length ? Math.max(...readings) : null;
  };
  const growth = (mode: 'ours' | 'stock') => {
    const readings = rss.map((r) => r[mode].rssGrowthMiB).filter((v): v is number => v !== null);
    return readings.length ? Math.max(...readings) : null;
  };
  if (rss.length) {
    // The highest reading after load, not the last one: RSS swings by 100 MiB and more between collections.
    const memory = ratio(peak('ours'), peak('stock'));
    const grew = rssRounds(results).map((r) => rssGrew(r.ours));
    const grown = growth('ours');
    targets.push({
      name: 'RSS after load ≤ 1.2× stock, no growth across repeated runs',
      met: all(at(memory, 1.2, true), grew.every((g) => g === null) ? null : !grew.includes(true)),
      detail:
        `highest reading after load: ours ${num(peak('ours'))} MiB, stock ${num(peak('stock'))} MiB (${times(memory)}); ` +
        `largest growth from an operation's first round to its last: ours ${num(grown, 1)} MiB, stock ${num(growth('stock'), 1)} MiB`,
    });
  }
  const failed = (mode: 'ours' | 'stock' | 'direct') => results.reduce((sum, r) => sum + (mode === 'direct' && r.directFrom ? 0 : summarise(r.modes[mode]).errors), 0);
  targets.push({
    name: 'every response correct (the same as the stock gateway answers, where it can run the operation)',
    met: failed('ours') + failed('direct') === 0,
    detail: `wrong or failed: ours ${failed('ours')}, direct ${failed('direct')}; stock ${failed('stock')} (its own fetch failures)`,
  });
  return targets;
}

/** The targets of the performance work on repeated requests, where our response cache answers. */
function cachedTargets(results: readonly OperationResult[], merchants: number): TargetResult[] {
  const get = summaries(results);
  const targets: TargetResult[] = [];
  const op3 = get('3');
  if (op3) {
    const { cpu, p99, rps } = toStock(op3);
    targets.push({
      name: 'op 3: gateway CPU/req ≤ 0.5× stock, p99 ≤ 0.5× stock, saturation RPS ≥ stock',
      met: all(at(cpu, 0.5, true), at(p99, 0.5, true), at(rps, 1, false)),
      detail:
        `CPU ${times(cpu)}, p99 ${times(p99)}, RPS ${times(rps)}; at saturation our gateway used ${pct(op3.ours.gatewayCore)} of its core, ` +
        `stock ${pct(op3.stock.gatewayCore)}; the other core: subgraphs ${pct(op3.ours.subgraphsCore)} + load generator ${pct(op3.ours.loadgenCore)}`,
    });
  }
  const op1 = get('1');
  if (op1) {
    const cpu = ratio(op1.ours.gatewayCpuMs, op1.stock.gatewayCpuMs);
    targets.push({ name: 'op 1: gateway CPU/req ≤ 0.5× stock', met: at(cpu, 0.5, true), detail: `CPU ${times(cpu)} (${ms(op1.ours.gatewayCpuMs)} vs ${ms(op1.stock.gatewayCpuMs)} ms)` });
  }
  const op4 = get('4');
  if (op4 && op3) {
    const keep = ratio(op4.ours.rps, op3.ours.rps);
    const cpu = ratio(op4.ours.gatewayCpuMs, op4.stock.gatewayCpuMs);
    targets.push({
      name: 'op 4: RPS ≥ 0.5× op 3, gateway CPU/req ≤ 0.7× stock under plan misses',
      met: all(at(keep, 0.5, false), at(cpu, 0.7, true)),
      detail: `RPS ${times(keep)} of op 3 (stock keeps ${times(ratio(op4.stock.rps, op3.stock.rps))}); CPU ${times(cpu)} (${ms(op4.ours.gatewayCpuMs)} vs ${ms(op4.stock.gatewayCpuMs)} ms)`,
    });
  }
  const deep = get('5');
  const first = get('5b');
  if (deep && first) {
    const viaOurs = ratio(deep.ours.p50, first.ours.p50);
    const direct = ratio(deep.direct.p50, first.direct.p50);
    const depth = merchants - Math.floor(merchants / 10);
    targets.push({
      name: `op 5: a page ${depth.toLocaleString('en')} rows deep within 1.5× the first page's latency`,
      met: all(at(viaOurs, 1.5, true), at(direct, 1.5, true)),
      detail:
        `p50 deep/first: through our gateway ${ms(deep.ours.p50)}/${ms(first.ours.p50)} ms = ${times(viaOurs)}, ` +
        `merchants subgraph directly ${ms(deep.direct.p50)}/${ms(first.direct.p50)} ms = ${times(direct)}` +
        (merchants < 1_000_000 ? ' (the issue asks for a million rows deep: run with --merchants 1000000)' : ''),
    });
  }
  targets.push(...memoryAndCorrectness(results));
  return targets;
}
