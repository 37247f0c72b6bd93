// Keeps `npm start`'s and `npm run cluster`'s child processes running. Until
// the whole graph is up, a child that exits stops everything: that is a
// configuration or build fault a restart would only repeat. Once it is up, a
// child that dies is restarted with back-off while the others keep serving
// (the gateway answers partially meanwhile). `stop()` ends every child:
// SIGTERM, then SIGKILL after a grace.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { Backoff } from '@interop/kit/events';

export interface ServiceSpec {
  name: string;
  /** The program to run; this process's node unless given. */
  command?: string;
  /** Its arguments: for node, the entry point (under tsx, or built JavaScript) and its own arguments. */
  args: string[];
  healthUrl: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Appends the child's output to this file instead of this process's stdout and stderr. */
  logFile?: string;
}

export interface SupervisorOptions {
  restartDelays?: () => Backoff;
  /**
   * Each child leads a process group of its own, signalled whole, so whatever
   * it starts stops with it; every group still running is SIGKILLed when this
   * process exits. Off for `npm start`, whose children stay in its group, where
   * a terminal's Ctrl-C and a test's kill of that group reach them too.
   */
  ownProcessGroups?: boolean;
  /** Told of every start and restart. */
  onStart?: (name: string, pid: number) => void;
  /** How long `stop()` lets a child end after SIGTERM before SIGKILLing it (10 s unless given). */
  stopGraceMs?: number;
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

  private readonly restartDelays: () => Backoff;

  constructor(
    private readonly onFatal: (reason: string) => void,
    private readonly options: SupervisorOptions = {},
  ) {
    this.restartDelays = options.restartDelays ?? (() => new Backoff(1000, 30_000));
    if (options.ownProcessGroups) process.once('exit', () => this.killGroups());
  }

  start(spec: ServiceSpec): void {
    const entry = this.services.get(spec.name);
    const log = spec.logFile === undefined ? undefined : openSync(spec.logFile, 'a');
    // A node child also gets an IPC channel, never used for messages: it closes when this process ends,
    // however it ends, and the child stops then (kit's stopOnSignals).
    const channel = spec.command === undefined ? ['ipc' as const] : [];
    const stdio: StdioOptions = [...(log === undefined ? (['ignore', 'inherit', 'inherit'] as const) : (['ignore', log, log] as const)), ...channel];
    const detached = this.options.ownProcessGroups ?? false;
    let child: ChildProcess;
    try {
      child = spawn(spec.command ?? process.execPath, spec.args, { cwd: spec.cwd, env: spec.env, stdio, detached });
    } finally {
      // The child holds its own copy of the descriptor.
      if (log !== undefined) closeSync(log);
    }
    this.services.set(spec.name, { spec, child, backoff: entry?.backoff ?? this.restartDelays(), startedAt: Date.now() });
    // A program that cannot be started (a missing binary) reports an error, and may or may not exit too: handled once.
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      this.exited(spec.name, child, how);
    };
    child.once('exit', (code, signal) => end(signal ?? `code ${code}`));
    child.once('error', (error) => end(`failed to start: ${error.message}`));
    if (child.pid !== undefined) this.options.onStart?.(spec.name, child.pid);
  }

  /** From now on a child that exits is restarted instead of stopping the graph. */
  markServing(): void {
    this.serving = true;
  }

  /** Resolves once the service answers its health URL with 2xx; rejects if its process exits first or the time runs out. */
  waitUntilHealthy(name: string, timeoutMs: number): Promise<void> {
    const spec = this.services.get(name)?.spec;
    return this.waitUntil(name, timeoutMs, async () => spec !== undefined && (await fetch(spec.healthUrl, { signal: AbortSignal.timeout(1000) })).ok);
  }

  /** Resolves once `probe` says yes (a probe that throws says not yet); rejects if the process exits first or the time runs out. */
  async waitUntil(name: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
    const entry = this.services.get(name);
    if (!entry) throw new Error(`${name} was never started`);
    const { child } = entry;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.stopping) return;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready`);
      try {
        if (await probe()) return;
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
    const group = this.options.ownProcessGroups ?? false;
    await Promise.all([...this.services.values()].map(({ child }) => stopChild(child, this.options.stopGraceMs ?? STOP_GRACE_MS, group)));
  }

  /** SIGKILLs every child's process group; synchronous, for the way out of a process that did not stop them. */
  private killGroups(): void {
    for (const { child } of this.services.values()) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone.
      }
    }
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

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone.
 * With `group`, the child leads its own process group and the signals go to
 * the whole group, then the group is SIGKILLed once the child has exited, so
 * nothing it started outlives it.
 */
export function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS, group = false): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    if (!group || child.pid === undefined) return void child.kill(name);
    try {
      process.kill(-child.pid, name);
    } catch {
      // The group is gone.
    }
  };
  const exited = child.exitCode !== null || child.signalCode !== null;
  if (exited) {
    if (group) signal('SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      if (group) signal('SIGKILL');
      resolve();
    });
    signal('SIGTERM');
  });
}
