// Keeps the gateway's memory close to what it holds. Serving thousands of
// requests a second makes garbage fast, and V8 then lets the heap grow to
// several times the live data between two full collections (live 110-125 MiB,
// heap up to 230 MiB and RSS near 500 MiB in `npm run bench`). Growing the
// heap by at most half of what a collection leaves alive, and shrinking it
// one second after the load drops instead of eight, kept RSS at 0.95× stock
// @apollo/gateway's over the whole bench, at a few percent more CPU per
// request. Both flags are read by V8 whenever it sizes the heap, so setting
// them at start is enough. A flag the process was started with (on node's
// command line: NODE_OPTIONS does not take these) is the operator's choice
// and is kept.
import { setFlagsFromString } from 'node:v8';

const STEADY_HEAP_FLAGS = [
  ['--heap-growing-percent', '50'],
  ['--gc-memory-reducer-start-delay-ms', '1000'],
] as const;

/** The flags to set, given the ones the process was started with. */
export function steadyHeapFlags(given: readonly string[]): string[] {
  // V8 reads `--a-b` and `--a_b` as one flag.
  const name = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');
  const chosen = new Set(given.map(name));
  return STEADY_HEAP_FLAGS.filter(([flag]) => !chosen.has(flag)).map(([flag, value]) => `${flag}=${value}`);
}

export function steadyHeap(): void {
  for (const flag of steadyHeapFlags(process.execArgv)) setFlagsFromString(flag);
}
