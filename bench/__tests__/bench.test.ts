// Keeps `npm run bench` working: runs it with --quick (a small data set, a
// fraction of a second per case) and checks what it wrote. The numbers of a
// quick run mean little, least of all beside other test files; only that every
// case ran and every response was right is checked. initiatePayment needs a
// partner's credential, which the stock gateway cannot carry: it runs through
// our gateway and directly only, and the stock gateway's refusal is reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, runTs } from '../../test/processes';

interface Written {
  errors: { ours: number; stock: number; direct: number };
  targets: { name: string; met: boolean | null }[];
  table: string;
  operations: {
    id: string;
    rate: number;
    notMeasured: Partial<Record<'ours' | 'stock' | 'direct', string>>;
    modes: Record<'ours' | 'stock' | 'direct', { saturation: unknown[]; fixed: unknown[] }>;
  }[];
}

test('npm run bench -- --quick measures every operation in every mode it can run and finds every response right', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  const out = join(dir, 'quick.json');
  try {
    const run = await finished(runTs('bench/run.ts', ['--quick', '--out', out]), 170_000);
    if (run.code !== 0) throw new Error(`bench exited ${run.code}:\n${run.stderr}\n${run.stdout.slice(-3000)}`);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Written;
    expect(written.operations.map((op) => op.id)).toEqual(['1', '2', '3', '4', '5', '5b', '6']);
    for (const op of written.operations) {
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
    expect(written.targets.find((t) => t.name.startsWith('every response'))?.met).toBe(true);
    expect(run.stdout).toContain('| **3** 50 merchants, 3 subgraphs | ours |');
    expect(written.table).toContain('|  | stock | n/a |');
    expect(written.table).toMatch(/^n\/a: op 6 through stock: .*UNAUTHENTICATED/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
