// One fault: SIGKILL a replica while the load runs, then watch it come back:
// when HAProxy takes it out of rotation, when the restarted process answers
// its health check, and when HAProxy sends it traffic again.
import { serverStates } from '../../scripts/cluster/haproxy-config';
import type { ClusterProcess } from './cluster-process';
import { sleep } from './recorder';

export interface FaultResult {
  replica: string;
  killedPid: number;
  restartedPid: number | null;
  /** Epoch ms of the kill. */
  killedAt: number;
  /** From the kill: HAProxy saw it down (null if it came back before HAProxy noticed). */
  outOfRotationMs: number | null;
  /** From the kill: a new process answered /health. */
  healthyMs: number | null;
  /** From the kill: HAProxy had it UP again (and had seen the new process). */
  inRotationMs: number | null;
}

const WATCH_LIMIT_MS = 60_000;

export async function killAndWatch(cluster: ClusterProcess, replica: string): Promise<FaultResult> {
  const before = cluster.manifest();
  const entry = before.processes[replica];
  if (!entry?.pid) throw new Error(`no running ${replica} to kill`);
  const tier = replica.replace(/-\d+$/, '');
  const result: FaultResult = { replica, killedPid: entry.pid, restartedPid: null, killedAt: Date.now(), outOfRotationMs: null, healthyMs: null, inRotationMs: null };
  process.kill(entry.pid, 'SIGKILL');
  while (Date.now() - result.killedAt < WATCH_LIMIT_MS && result.inRotationMs === null) {
    const elapsed = Date.now() - result.killedAt;
    const state = await balancerState(before.statsUrl, tier, replica);
    if (state?.startsWith('DOWN') && result.outOfRotationMs === null) result.outOfRotationMs = elapsed;
    if (result.healthyMs === null) {
      const pid = cluster.manifest().processes[replica]?.pid ?? null;
      if (pid !== null && pid !== entry.pid && (await answers(`${entry.url}health`))) {
        result.restartedPid = pid;
        result.healthyMs = Date.now() - result.killedAt;
      }
    }
    // Back in rotation: UP once the new process answers (after a DOWN, or at once if HAProxy never noticed).
    if (result.healthyMs !== null && state === 'UP') result.inRotationMs = Date.now() - result.killedAt;
    await sleep(100);
  }
  return result;
}

async function balancerState(statsUrl: string, tier: string, server: string): Promise<string | null> {
  try {
    const response = await fetch(`${statsUrl};csv`, { signal: AbortSignal.timeout(1000) });
    return serverStates(await response.text()).find((state) => state.tier === tier && state.server === server)?.status ?? null;
  } catch {
    return null;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
