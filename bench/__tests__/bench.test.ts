// Keeps `npm run bench` working: runs it with --quick (a small data set, a
// fraction of a second per case, varied traffic then cached) and checks what it wrote. The numbers of a
// quick run mean little, least of all beside other test files; only that every
// case ran and every response was right is checked. initiatePayment needs a
// partner's credential, which the stock gateway cannot carry: it runs through
// our gateway and directly only, and the stock gateway's refusal is reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, runTs } from '@interop/testing/processes';

interface Operations {
  operations: {
    id: string;
    rate: number;
    notMeasured: Partial<Record<'ours' | 'stock' | 'direct', string>>;
    modes: Record<'ours' | 'stock' | 'direct', { saturation: { checkedAfterwards?: number }[]; fixed: unknown[] }>;
  }[];
  subgraphCpuMs: { id: string }[];
  rssRounds: { id: string; ours: number[] }[];
}

interface Written {
  errors: { ours: number; stock: number; direct: number };
  targets: { name: string; met: boolean | null }[];
  table: string;
  traffic: Record<'varied' | 'cached', Operations>;
}

test('npm run bench -- --quick measures every operation in every mode it can run and finds every response right', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  const out = join(dir, 'quick.json');
  try {
    // `npm run bench` runs on DATABASE_URL's server when it is set; this checks the harness on PGlite.
    const run = await finished(runTs('bench/run.ts', ['--quick', '--out', out], { DATABASE_URL: undefined, REDIS_URL: undefined }), 540_000);
    if (run.code !== 0) throw new Error(`bench exited ${run.code}:\n${run.stderr}\n${run.stdout.slice(-3000)}`);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Written;
    expect(Object.keys(written.traffic)).toEqual(['varied', 'cached']);
    const ids = ['1', '2', '3', '4', '5', '5b', '6'];
    expect(written.traffic.varied.subgraphCpuMs.map((op) => op.id)).toEqual(ids);
    expect(written.traffic.varied.rssRounds.map((op) => op.ours.length)).toEqual(ids.map(() => 1));
    // Varied answers cannot be known before the run: through our gateway they are checked against stock's afterwards.
    // (A quick run's windows are too short to promise answers in them on a busy machine: only that the check ran.)
    for (const op of written.traffic.varied.operations.filter((o) => o.id !== '6')) {
      expect(op.modes.ours.saturation[0]?.checkedAfterwards).toEqual(expect.any(Number));
    }
    for (const op of [...written.traffic.varied.operations, ...written.traffic.cached.operations]) {
      expect(op.rate).toBeGreaterThan(0);
      const stockRuns = op.id !== '6';
      expect(op.notMeasured).toEqual(stockRuns ? {} : { stock: expect.stringContaining('UNAUTHENTICATED') });
      for (const mode of ['ours', 'stock', 'direct'] as const) {
        const rounds = mode === 'stock' && !stockRuns ? 0 : 1;
        expect(op.modes[mode].saturation).toHaveLength(rounds);
        expect(op.modes[mode].fixed).toHaveLength(rounds);
      }
    }
    expect(written.errors.ours + written.errors.direct).toBe(0);
    for (const traffic of ['varied', 'cached']) expect(written.targets.find((t) => t.name.startsWith(`${traffic}: every response`))?.met).toBe(true);
    expect(written.table.indexOf('Varied traffic')).toBeLessThan(written.table.indexOf('Cached / repeated requests'));
    expect(run.stdout).toContain('| **3** 50 merchants, 3 subgraphs, a new page each | ours |');
    expect(run.stdout).toContain('| **3** 50 merchants, 3 subgraphs | ours |');
    expect(written.table).toContain('|  | stock | n/a |');
    expect(written.table).toMatch(/^n\/a: op 6 through stock: .*UNAUTHENTICATED/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 560_000);
