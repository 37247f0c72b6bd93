// Helpers for tests that run the product's real entry points as child processes.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentOf } from '@interop/kit/server';
import { freePorts } from '../../../scripts/cluster/free-ports';
import { builtEntry, type ServiceName } from '../../../scripts/service-build';
import { TEST_AUTH, TEST_TRUST } from './identities';
import { TEST_PGLITE_SHARED_BUFFERS } from './pglite-settings';

export const ROOT = join(__dirname, '..', '..', '..');

/** A port free right now, outside the OS's ephemeral range (see freePorts), for entry points that take a port number. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

// Leaders of the process groups that tests started. Each test file ends by
// killing them all (packages/testing/src/jest/kill-process-groups.ts), pass, fail or time-out, so
// nothing a test started, nor anything that started in turn, outlives it.
const groups = new Set<number>();

/** Spawns `command` as the leader of a new process group that the test file's end kills. */
export function spawnInGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

/** SIGKILLs every process group a test started; synchronous, so it also runs on the way out of a dying worker. */
export function killProcessGroups(): void {
  for (const leader of groups) {
    try {
      process.kill(-leader, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  groups.clear();
}

/** The ids of the processes whose parent is `pid`, with their command lines (Linux /proc). */
export function childProcesses(pid: number): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || parentOf(Number(entry)) !== pid) continue;
    try {
      children.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // It exited while being read.
    }
  }
  return children;
}

/** The first process below `pid` (a child, a child's child, ...) whose command line holds `fragment`. */
export function descendant(pid: number, fragment: string): number | undefined {
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of childProcesses(next)) {
      if (child.command.includes(fragment)) return child.pid;
      queue.push(child.pid);
    }
  }
  return undefined;
}

/** Whether any process of the group `leader` leads is left. */
export function groupAlive(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}

/** The test environment over this process's: an `undefined` in `env` removes that variable. */
function testEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // Processes trust the same secret and accept the same keys as the in-process test graph, and start their PGlites as its pool does.
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    SUBGRAPH_SIGNING_SECRET: TEST_TRUST.signingSecret,
    GATEWAY_API_KEYS: JSON.stringify(TEST_AUTH.apiKeys),
    PGLITE_SHARED_BUFFERS: TEST_PGLITE_SHARED_BUFFERS,
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/**
 * Runs a TypeScript entry point under tsx, as npm scripts do; an `undefined`
 * in `env` removes that variable. `root` is the checkout it runs in.
 */
export function runTs(
  entry: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
  root = ROOT,
): ChildProcessWithoutNullStreams {
  return spawnInGroup(process.execPath, ['--import', 'tsx', join(root, entry), ...args], { cwd: root, env: testEnv(env) }) as ChildProcessWithoutNullStreams;
}

/** Runs `npm run <script>` in `root` as a user types it (npm, then the shell it runs the script in); `env` as for runTs. */
export function runNpm(script: string, env: Record<string, string | undefined> = {}, root = ROOT): ChildProcessWithoutNullStreams {
  return spawnInGroup('npm', ['run', '--silent', script], { cwd: root, env: testEnv(env) }) as ChildProcessWithoutNullStreams;
}

/**
 * Runs a service as its image does: plain node on its production bundle,
 * which jest's global setup rebuilt if any source changed (packages/testing/src/jest/global-setup.ts).
 * For tests of a service as a process (crashes, restarts, drains, refusals to
 * start); `env` as for runTs.
 */
export function runService(service: ServiceName, args: readonly string[] = [], env: Record<string, string | undefined> = {}): ChildProcessWithoutNullStreams {
  return spawnInGroup(process.execPath, [builtEntry(service), ...args], { cwd: ROOT, env: testEnv(env) }) as ChildProcessWithoutNullStreams;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a process's output until it exits (killing it after `timeoutMs`). */
export function finished(child: ChildProcessWithoutNullStreams, timeoutMs = 30_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves once the process prints `pattern` on stdout or stderr; rejects if it exits first. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}; output:\n${seen}`));
    });
  });
}

/** Whether a process with this id still exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check` holds, polling every 50 ms; rejects past `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads until `read` answers `expected` (by value) or `timeoutMs` passes, then expects the last answer to equal it. */
export async function expectEventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  expect(last).toEqual(expected);
}
