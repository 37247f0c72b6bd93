// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: the
// functions with the most self time, and the same time grouped by package.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  ms: number;
  share: number;
}

/** node_modules/@scope/pkg or node_modules/pkg, our workspace folder, or what V8 calls it ("(garbage collector)"). */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged?.[1]) return packaged[1];
  if (url.startsWith('node:')) return 'node core';
  const ours = /\/(gateway|packages\/[^/]+|subgraphs\/[^/]+|bench)\//.exec(url);
  return ours?.[1] ?? url;
}

/**
 * `window` (microseconds of the monotonic clock, as `process.hrtime` gives
 * them and V8 stamps samples with on Linux) keeps only the samples taken
 * under load, leaving out start-up and shutdown.
 */
export function summariseProfile(path: string, top = 20, window?: { from: number; to: number }): { total: number; functions: Cost[]; areas: Cost[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  // Each sample's time is the delta that follows it; attribute it to the sampled node.
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (window && (at < window.from || at > window.to)) return;
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0) / 1000);
  });
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += ms;
    const file = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(gateway|packages|subgraphs)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const group = area(frame.url, frame.functionName);
    areas.set(group, (areas.get(group) ?? 0) + ms);
  }
  // The sampler's idle ticks are time the gateway waited, not work: shares are of the work.
  const work = total - (functions.get('(idle)') ?? 0);
  const ranked = (costs: Map<string, number>) =>
    [...costs]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / work }));
  return { total: work, functions: ranked(functions), areas: ranked(areas) };
}
