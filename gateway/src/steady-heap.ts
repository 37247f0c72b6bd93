// Keeps the gateway's memory close to what it holds. Serving thousands of
// requests a second makes garbage fast, and V8 then lets the heap grow to
// several times the live data between two full collections (live 110-125 MiB,
// heap up to 230 MiB and RSS near 500 MiB in `npm run bench`). Growing the
// heap by at most half of what a collection leaves alive kept RSS below stock
// @apollo/gateway's over the whole bench, at a few percent more CPU per
// request. V8 reads the flag whenever it sizes the heap, so setting it at
// start is enough. A flag the process was started with (on node's command
// line: NODE_OPTIONS does not take these) is the operator's choice and is
// kept.
//
// The memory reducer (V8's full collection once the load drops) is left to
// start after V8's own eight seconds. Started after one, as it was, it ran
// in the lulls of bursty traffic, where the next requests met its pause (44
// ms in a traced bench run, inside a window of steady requests); the heap is
// now small enough (RSS 0.46-0.80x stock's after the bench's load) that the
// later shrink costs little.
import { setFlagsFromString } from 'node:v8';

const STEADY_HEAP_FLAGS = [['--heap-growing-percent', '50']] as const;

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
