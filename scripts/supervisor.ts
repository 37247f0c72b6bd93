// Keeps `npm start`'s child processes running. Until the whole graph is up,
// a child that exits stops everything: that is a configuration or build fault
// a restart would only repeat. Once it is up, a child that dies is restarted
// with back-off while the others keep serving (the gateway answers partially
// meanwhile). `stop()` ends every child: SIGTERM, then SIGKILL after a grace.
import { spawn, type ChildProcess } from 'node:child_process';
import { Backoff } from '@interop/kit';

export interface ServiceSpec {
  name: string;
  /** Node arguments: the entry point (under tsx, or built JavaScript) and its own arguments. */
  args: string[];
  healthUrl: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A child that stayed up this long has recovered: its next crash starts the back-off again from the shortest delay. */
const STABLE_AFTER_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const HEALTH_POLL_MS = 150;

export class Supervisor {
  private readonly services = new Map<string, { spec: ServiceSpec; child: ChildProcess; backoff: Backoff; startedAt: number }>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private serving = false;
  private stopping = false;

  constructor(
    private readonly onFatal: (reason: string) => void,
    private readonly restartDelays = () => new Backoff(1000, 30_000),
  ) {}

  start(spec: ServiceSpec): void {
    const entry = this.services.get(spec.name);
    const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.services.set(spec.name, { spec, child, backoff: entry?.backoff ?? this.restartDelays(), startedAt: Date.now() });
    child.once('exit', (code, signal) => this.exited(spec.name, child, signal ?? `code ${code}`));
  }

  /** From now on a child that exits is restarted instead of stopping the graph. */
  markServing(): void {
    this.serving = true;
  }

  /** Resolves once the service answers its health URL; rejects if its process exits first or the time runs out. */
  async waitUntilHealthy(name: string, timeoutMs: number): Promise<void> {
    const entry = this.services.get(name);
    if (!entry) throw new Error(`${name} was never started`);
    const { child, spec } = entry;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.stopping) return;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready`);
      try {
        const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    }
    throw new Error(`${name} did not become ready within ${timeoutMs / 1000}s`);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    await Promise.all([...this.services.values()].map(({ child }) => stopChild(child)));
  }

  private exited(name: string, child: ChildProcess, how: string): void {
    const entry = this.services.get(name);
    if (this.stopping || !entry || entry.child !== child) return;
    if (!this.serving) {
      this.onFatal(`${name} exited (${how}) before the graph was ready`);
      return;
    }
    if (Date.now() - entry.startedAt >= STABLE_AFTER_MS) entry.backoff.reset();
    const delay = entry.backoff.next();
    console.error(`${name} exited (${how}); restarting it in ${(delay / 1000).toFixed(1)}s while the rest keeps serving.`);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.stopping) return;
      this.start(entry.spec);
      this.waitUntilHealthy(name, 120_000).then(
        () => !this.stopping && console.log(`${name} restarted and healthy.`),
        () => undefined, // its exit, if any, is reported and retried by the exit handler
      );
    }, delay);
    this.restartTimers.add(timer);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
