// `npm run cluster` as the test runs it: scripts/cluster.ts in a process
// group of its own, with the test's environment and working folder, and
// what it wrote to cluster.json. However the test ends, the cluster and
// every process it started are killed.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@interop/testing/processes';

export interface Manifest {
  url: string;
  walletUrl: string;
  statsUrl: string;
  logDir: string;
  tiers: Record<string, string>;
  processes: Record<string, { service: string; url: string; pid: number | null }>;
  haproxyPid: number | null;
}

const STOP_WAIT_MS = 30_000;

export class ClusterProcess {
  /** Everything the cluster printed. */
  readonly output: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly killOnExit = () => this.killEverything();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly workDir: string,
    echo: (line: string) => void,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        this.output.push(line);
        if (line.trim()) echo(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    process.once('exit', this.killOnExit);
  }

  static start(env: NodeJS.ProcessEnv, workDir: string, echo: (line: string) => void): ClusterProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'cluster.ts'), '--work-dir', workDir], {
      cwd: ROOT,
      env,
      detached: true,
    });
    return new ClusterProcess(child, workDir, echo);
  }

  /** Resolves with the balancer's URL once the cluster says it is ready; rejects if it exits first. */
  async ready(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.output.find((text) => /cluster is ready: /.test(text));
      if (line) return /ready: (\S+)/.exec(line)?.[1] ?? '';
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error('the cluster exited before it was ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the cluster was not ready within ${timeoutMs / 1000} s`);
  }

  /** What runs where, as the cluster last wrote it (it rewrites it when it restarts a process). */
  manifest(): Manifest {
    return JSON.parse(readFileSync(join(this.workDir, 'cluster.json'), 'utf8')) as Manifest;
  }

  /** SIGTERM, as Ctrl-C would; everything is killed if it has not stopped in time. Resolves with how the cluster exited. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.killEverything(), STOP_WAIT_MS);
    const how = await this.exited;
    clearTimeout(timer);
    this.killEverything();
    process.off('exit', this.killOnExit);
    return how;
  }

  /** SIGKILLs the cluster's process group and every process group it started; synchronous, for the way out. */
  killEverything(): void {
    const groups = [this.child.pid];
    try {
      const manifest = this.manifest();
      groups.push(manifest.haproxyPid ?? undefined, ...Object.values(manifest.processes).map((entry) => entry.pid ?? undefined));
    } catch {
      // No manifest yet: the cluster writes it as it starts its first process, so there is nothing else to kill.
    }
    for (const leader of groups) {
      if (leader === undefined) continue;
      try {
        process.kill(-leader, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}
