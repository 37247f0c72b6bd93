// The run's figures as plain-text tables, and its verdicts.

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

export interface Verdict {
  name: string;
  passed: boolean;
  detail: string;
}

export class Verdicts {
  readonly all: Verdict[] = [];

  check(name: string, passed: boolean, detail: string): void {
    this.all.push({ name, passed, detail });
  }

  get failed(): Verdict[] {
    return this.all.filter((verdict) => !verdict.passed);
  }

  print(): void {
    for (const { name, passed, detail } of this.all) console.log(`${passed ? 'PASS' : 'FAIL'}  ${name}${detail ? `: ${detail}` : ''}`);
  }
}
