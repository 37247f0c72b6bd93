// The bench's own logic for varied traffic, without servers: every request
// new (its variables and its partner, not its text, where the plan cache
// should hit), answers checked after the run against the reference's, and
// the report leading with the varied table and its targets.
import { PARTNERS } from '../auth';
import { windowDone, type Sample } from '../load';
import { operations, spread } from '../operations';
import { directCallLines, evaluateTargets, markdownTable, rssGrew, rssRounds, subgraphCosts, summarise, type OperationResult } from '../report';
import { AnswerLog, verifyAfterwards, type Reference } from '../verify';

const parsed = (body: string) => JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

describe('varied traffic', () => {
  const ops = operations(100_000, 'varied');
  const byId = (id: string) => ops.find((op) => op.id === id)!;

  test('has every operation of the cached traffic', () => {
    expect(ops.map((op) => op.id)).toEqual(operations(100_000, 'cached').map((op) => op.id));
  });

  test.each(['1', '2', '3', '4', '5', '5b', '6'])('op %s sends a different request every time, from a partner of its own', (id) => {
    const op = byId(id);
    const numbers = range(5_000, 1_000);
    expect(new Set(numbers.map((i) => op.body(i))).size).toBe(numbers.length);
    expect(new Set(numbers.map((i) => op.headers(i)['x-api-key'])).size).toBe(numbers.length);
    expect(op.headers(7)).toEqual(op.headers(7 + PARTNERS));
  });

  test.each(['1', '2', '3', '5', '5b', '6'])('op %s varies its variables, not its text, so the plan cache can hit', (id) => {
    const op = byId(id);
    expect(parsed(op.body(1)).query).toBe(parsed(op.body(2)).query);
    expect(parsed(op.body(1)).variables).not.toEqual(parsed(op.body(2)).variables);
  });

  test('op 4 changes its text every time (a plan miss) and pages like op 3', () => {
    const op = byId('4');
    expect(parsed(op.body(1)).query).not.toBe(parsed(op.body(2)).query);
    expect(parsed(op.body(1)).variables).toEqual(parsed(byId('3').body(1)).variables);
  });

  test('the merchant pages and checkout merchants do not repeat within their variants', () => {
    for (const id of ['2', '3', '5']) {
      const op = byId(id);
      const numbers = range(123_456, Math.min(op.variants!, 20_000));
      expect(new Set(numbers.map((i) => op.answerKey!(i))).size).toBe(numbers.length);
    }
  });

  test('past its variants (5,000 merchants have fewer pages than a run sends), a request still shares no cached answer', () => {
    const small = operations(5_000, 'varied');
    for (const id of ['2', '3', '4', '5']) {
      const op = small.find((candidate) => candidate.id === id)!;
      const numbers = range(0, op.variants! * 3);
      expect(new Set(numbers.map((i) => JSON.stringify(parsed(op.body(i)).variables))).size).toBe(numbers.length);
    }
  });

  test('spread gives distinct values to any run of consecutive numbers as long as the range', () => {
    for (const count of [1, 7, 64, 100, 2_000]) {
      const values = range(999, count).map((i) => spread(i, count));
      expect(new Set(values).size).toBe(count);
      expect(Math.max(...values)).toBeLessThan(count);
    }
  });

  test('cached traffic still repeats its requests', () => {
    const op1 = operations(100_000, 'cached').find((op) => op.id === '1')!;
    expect(op1.body(1)).toBe(op1.body(2));
    expect(op1.headers(1)).toEqual(op1.headers(2));
  });
});

describe('checking answers after the run', () => {
  const answer = (i: number) => `{"data":{"page":${i % 3}}}`;
  const reference = (overrides: Partial<Reference> = {}): Reference & { fetched: number[] } => {
    const fetched: number[] = [];
    return {
      name: 'stock',
      fetch: async (i) => {
        fetched.push(i);
        return { status: 200, text: answer(i) };
      },
      key: (i) => String(i % 3),
      fetched,
      ...overrides,
    };
  };
  const logOf = (entries: [number, string][]) => {
    const log = new AnswerLog();
    for (const [i, text] of entries) log.record(i, text);
    return log;
  };

  test('right answers pass, with one reference fetch per key', async () => {
    const ref = reference();
    const verdict = await verifyAfterwards(logOf(range(0, 9).map((i) => [i, answer(i)])), ref);
    expect(verdict).toEqual({ checked: 9, mismatches: 0 });
    expect(ref.fetched.sort()).toEqual([0, 1, 2]);
  });

  test('each wrong answer counts, and the first is described', async () => {
    const entries = range(0, 6).map((i): [number, string] => [i, i === 4 || i === 5 ? '{"data":null}' : answer(i)]);
    const verdict = await verifyAfterwards(logOf(entries), reference());
    expect(verdict.checked).toBe(6);
    expect(verdict.mismatches).toBe(2);
    expect(verdict.firstMismatch).toEqual(expect.any(String));
  });

  test('an answer that reported errors is kept to say what went wrong', () => {
    const log = logOf([[1, answer(1)], [2, '{"errors":[{"extensions":{"code":"GATEWAY_TIMEOUT"}}]}'], [3, '{"errors":[]}']]);
    expect(log.firstWithErrors).toEqual({ i: 2, text: expect.stringContaining('GATEWAY_TIMEOUT') });
  });

  test('an answer rewritten for its own request (an alias) is compared as rewritten', async () => {
    const aliased = (i: number) => `{"data":{"a${i}":1}}`;
    const ref = reference({ fetch: async (i) => ({ status: 200, text: aliased(i) }), key: () => 'same', rewrite: (text, from, to) => text.replace(`a${from}`, `a${to}`) });
    expect((await verifyAfterwards(logOf(range(10, 5).map((i) => [i, aliased(i)])), ref)).mismatches).toBe(0);
    expect((await verifyAfterwards(logOf([[10, aliased(10)], [11, aliased(10)]]), ref)).mismatches).toBe(1);
  });

  test('a reference that fails is asked again; one that never answers fails every answer it was to check', async () => {
    let calls = 0;
    const flaky = reference({ fetch: async (i) => (++calls < 3 ? { status: 200, text: '{"errors":[{"message":"socket hang up"}]}' } : { status: 200, text: answer(i) }), key: () => 'one' });
    expect((await verifyAfterwards(logOf([[0, answer(0)]]), flaky, { pauseMs: 1 })).mismatches).toBe(0);
    expect(calls).toBe(3);
    const down = reference({ fetch: async () => Promise.reject(new Error('refused')), key: () => 'one' });
    const verdict = await verifyAfterwards(logOf([[0, answer(0)], [3, answer(3)]]), down, { pauseMs: 1 });
    expect(verdict.mismatches).toBe(2);
  });
});

describe('the report', () => {
  const sample = (over: Partial<Sample>): Sample => ({
    requests: 100,
    seconds: 1,
    rps: 100,
    p50: 10,
    p99: 20,
    errors: 0,
    gatewayCpuMs: 2,
    subgraphsCpuMs: 30,
    gatewayCore: 0.5,
    subgraphsCore: 0.9,
    loadgenCore: 0.1,
    gatewayRssMiB: 200,
    ...over,
  });
  const phase = (over: Partial<Sample>, rss: number[] = [200]) => ({ saturation: [sample(over)], fixed: rss.map((r) => sample({ ...over, gatewayRssMiB: r })) });
  const result = (id: string, ours: Partial<Sample>, stock: Partial<Sample>, rss: number[] = [200]): OperationResult => ({
    id,
    title: `operation ${id}`,
    rate: 10,
    directFrom: null,
    notMeasured: {},
    modes: { ours: phase(ours, rss), stock: phase(stock, [250]), direct: phase({ gatewayCpuMs: null, gatewayRssMiB: null, subgraphsCpuMs: 25 }) },
  });

  test('leads with the varied table and labels the cached one', () => {
    const table = markdownTable({ varied: [result('1', {}, {})], cached: [result('1', {}, {})] });
    const varied = table.indexOf('Varied traffic');
    const cached = table.indexOf('Cached / repeated requests');
    expect(varied).toBeGreaterThanOrEqual(0);
    expect(cached).toBeGreaterThan(varied);
    expect(table.match(/\| \*\*1\*\* operation 1 \| ours \|/g)).toHaveLength(2);
  });

  test('reads the engine targets from the varied table only', () => {
    const varied = [result('1', { gatewayCpuMs: 0.4 }, { gatewayCpuMs: 1 }), result('3', { gatewayCpuMs: 4, p99: 30 }, { gatewayCpuMs: 10, p99: 100 }), result('4', { gatewayCpuMs: 9 }, { gatewayCpuMs: 10 })];
    const cached = [result('1', { gatewayCpuMs: 0.1 }, { gatewayCpuMs: 1 })];
    const targets = evaluateTargets({ varied, cached }, 100_000);
    const met = (name: string) => targets.find((t) => t.name.startsWith(name))?.met;
    expect(met('varied: op 3: gateway CPU/req ≤ 0.5× stock and p99 ≤ 0.5× stock')).toBe(true);
    expect(met('varied: op 1: gateway CPU/req ≤ 0.5× stock')).toBe(true);
    expect(met('varied: op 4: gateway CPU/req ≤ 0.7× stock')).toBe(false);
    expect(met('varied: RSS after load ≤ 1.2× stock')).toBe(null);
    expect(met('varied: every response correct')).toBe(true);
    expect(met('cached: op 1: gateway CPU/req ≤ 0.5× stock')).toBe(true);
  });

  test('shows the gateway CPU per request at saturation beside the fixed rate one the targets read', () => {
    const op = (ours: number, stock: number, oursFixed: number, stockFixed: number): OperationResult => {
      const base = result('1', { gatewayCpuMs: oursFixed }, { gatewayCpuMs: stockFixed });
      return { ...base, modes: { ...base.modes, ours: { ...base.modes.ours, saturation: [sample({ gatewayCpuMs: ours })] }, stock: { ...base.modes.stock, saturation: [sample({ gatewayCpuMs: stock })] } } };
    };
    const varied = [op(0.3, 1.2, 0.9, 1.5)];
    const table = markdownTable({ varied });
    const header = table.split('\n').find((line) => line.startsWith('| op |'))!.split('|').map((cell) => cell.trim());
    const column = header.indexOf('gateway CPU ms/req at saturation');
    const cells = (label: string) => table.split('\n').find((line) => line.split('|')[2]?.trim() === label)!.split('|').map((cell) => cell.trim());
    expect(cells('ours')[column]).toBe('0.30');
    expect(cells('stock')[column]).toBe('1.20');
    expect(cells('ours/stock')[column]).toBe('0.25×');
    expect(cells('ours')[header.indexOf('gateway CPU ms/req')]).toBe('0.90');
    // The target is read at the fixed rate, whatever saturation shows.
    const target = evaluateTargets({ varied }, 100_000).find((t) => t.name.startsWith('varied: op 1:'))!;
    expect(target.met).toBe(false);
    expect(target.detail).toContain('0.25×');
  });

  test('reads fixed-rate percentiles over every round\'s answers pooled, not as a median of each round\'s', () => {
    // Three rounds of 100 answers: each round's own p99 is its second-slowest (40, 30 and 5 ms), whose median
    // is 30; over the 300 answers together the p99 is the fourth-slowest of all, 40.
    const round = (slow: number[]) => sample({ latencies: [...Array.from({ length: 100 - slow.length }, (_, i) => 1 + i / 100), ...slow], p99: [...slow].sort((a, b) => a - b).at(-2)! });
    const pooled = summarise({ saturation: [sample({})], fixed: [round([40, 50]), round([30, 60]), round([5, 70])] });
    expect(pooled.p99).toBe(40);
    expect(pooled.p50).toBeCloseTo(1.49, 5);
    // A sample without latencies (a direct replay combined from its calls) keeps the median of the rounds.
    expect(summarise({ saturation: [sample({})], fixed: [sample({ p99: 10 }), sample({ p99: 30 }), sample({ p99: 20 })] }).p99).toBe(20);
  });

  test('names each subgraph call of the direct replay with its own latency and CPU, pooled over rounds', () => {
    const call = (latencies: number[], cpu: number) => sample({ latencies, subgraphsCpuMs: cpu });
    const round = (slowMerchants: number) =>
      sample({
        calls: [
          { subgraph: 'commerce', wave: 0, sample: call([1, 1, 2], 0.5) },
          { subgraph: 'merchants', wave: 1, sample: call([3, 3, slowMerchants], 2) },
        ],
      });
    const op = result('3', {}, {});
    const lines = directCallLines([{ ...op, modes: { ...op.modes, direct: { saturation: [], fixed: [round(40), round(4), round(5)] } } }]);
    expect(lines).toEqual(['op 3 direct, each subgraph call alone at the fixed rate (ms): commerce (wave 0) p50 1.00, p99 2.00, CPU 0.50; merchants (wave 1) p50 3.00, p99 40.0, CPU 2.00']);
    // An operation whose direct figures stand in from another, or a replay of one call, has no line.
    expect(directCallLines([{ ...op, directFrom: '1' }, result('1', {}, {})])).toEqual([]);
  });

  test('RSS is read after every round and growth across rounds fails the memory target', () => {
    const steady = [result('3', {}, {}, [200, 205, 198])];
    const growing = [result('3', {}, {}, [200, 230, 260])];
    expect(rssRounds(growing)).toEqual([{ id: '3', ours: [200, 230, 260], stock: [250] }]);
    expect(rssGrew([200, 205, 198])).toBe(false);
    expect(rssGrew([200, 230, 260])).toBe(true);
    expect(rssGrew([200])).toBe(null);
    const memory = (results: OperationResult[]) => evaluateTargets({ varied: results }, 100_000).find((t) => t.name.startsWith('varied: RSS'))?.met;
    expect(memory(steady)).toBe(true);
    expect(memory(growing)).toBe(false);
  });

  test('gives the subgraphs CPU per request of every operation', () => {
    expect(subgraphCosts([result('2', { subgraphsCpuMs: 12 }, { subgraphsCpuMs: 13 })])).toEqual([{ id: '2', ours: 12, stock: 13, direct: 25 }]);
  });
});

describe('the measured window', () => {
  const load = { connections: 50, warmSeconds: 0.75, seconds: 1.25, minAnswers: 100, maxSeconds: 20 };

  test('stays open past its length until enough answers arrived', () => {
    expect(windowDone(load, 1.25, 10)).toBe(false);
    expect(windowDone(load, 5.25, 99)).toBe(false);
    expect(windowDone(load, 5.25, 100)).toBe(true);
    expect(windowDone(load, 1, 1_000)).toBe(false);
  });

  test('closes at its longest whatever arrived, and at its length without a minimum', () => {
    expect(windowDone(load, 20, 3)).toBe(true);
    expect(windowDone({ connections: 50, warmSeconds: 0, seconds: 2 }, 2, 0)).toBe(true);
  });
});
