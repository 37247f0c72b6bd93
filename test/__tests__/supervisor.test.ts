// The supervisor `npm start` and `npm run cluster` keep their processes with:
// a child that dies once the graph serves comes back, and with process groups
// of their own, stopping a child ends whatever it started too; and a service
// does not outlive a supervisor that is killed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '@interop/kit/events';
import { Supervisor } from '../../scripts/supervisor';
import { alive, childProcesses, descendant, eventually, ROOT, spawnInGroup, waitForOutput } from '@interop/testing/processes';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';


// A child that starts a grandchild and ignores SIGTERM, as a stuck service might.
const STUBBORN = "process.on('SIGTERM', () => {}); require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000);";

let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop();
});

test('with process groups of their own, stopping ends each child and what it started, SIGKILLing what ignores SIGTERM', async () => {
  const started = new Map<string, number>();
  supervisor = new Supervisor(() => {}, { ownProcessGroups: true, stopGraceMs: 1000, onStart: (name, pid) => started.set(name, pid) });
  supervisor.start({ name: 'stubborn', args: ['-e', STUBBORN], healthUrl: 'http://127.0.0.1:9/', env: process.env, cwd: ROOT });
  const pid = started.get('stubborn')!;
  let grandchild: number | undefined;
  await eventually(() => (grandchild = childProcesses(pid)[0]?.pid) !== undefined);

  await supervisor.stop();
  await eventually(() => !alive(pid) && !alive(grandchild!));
}, 30_000);

test('once serving, a child killed is started again and reported with its new process id', async () => {
  const starts: number[] = [];
  supervisor = new Supervisor(() => {}, { ownProcessGroups: true, restartDelays: () => new Backoff(50, 50), onStart: (_name, pid) => starts.push(pid) });
  supervisor.start({ name: 'service', args: ['-e', 'setInterval(() => {}, 1000)'], healthUrl: 'http://127.0.0.1:9/', env: process.env, cwd: ROOT });
  supervisor.markServing();
  process.kill(starts[0]!, 'SIGKILL');
  await eventually(() => starts.length === 2);
  expect(starts[1]).not.toBe(starts[0]);
  expect(alive(starts[1]!)).toBe(true);
});

test('before the graph serves, a child that exits is fatal and not restarted', async () => {
  const fatal: string[] = [];
  const starts: number[] = [];
  supervisor = new Supervisor((reason) => fatal.push(reason), { restartDelays: () => new Backoff(50, 50), onStart: (_name, pid) => starts.push(pid) });
  supervisor.start({ name: 'broken', args: ['-e', 'process.exit(3)'], healthUrl: 'http://127.0.0.1:9/', env: process.env, cwd: ROOT });
  await eventually(() => fatal.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(starts).toHaveLength(1);
});

test('a service a killed supervisor started stops cleanly, as on SIGTERM', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'supervised-'));
  try {
    // The service's own way of stopping, as every service's main uses it, around a stand-in service.
    const service = join(folder, 'service.ts');
    writeFileSync(
      service,
      `import { stopOnSignals } from ${JSON.stringify(join(ROOT, 'packages/kit/src/subgraph'))};
import { createLogger } from ${JSON.stringify(join(ROOT, 'packages/kit/src/logger'))};
stopOnSignals({ stop: async () => { console.log('stopped cleanly'); } }, createLogger('stand-in'));
console.log('serving');
setInterval(() => {}, 1000);
`,
    );
    const supervising = join(folder, 'supervising.ts');
    writeFileSync(
      supervising,
      `import { Supervisor } from ${JSON.stringify(join(ROOT, 'scripts/supervisor'))};
new Supervisor(() => {}).start({ name: 'service', args: ['--import', 'tsx', ${JSON.stringify(service)}], healthUrl: 'http://127.0.0.1:9/', env: process.env, cwd: ${JSON.stringify(ROOT)} });
`,
    );
    // Not under npm (npm test would say so): the channel alone is what ends the service.
    const env = { ...process.env };
    delete env.npm_lifecycle_event;
    const supervisor = spawnInGroup(process.execPath, ['--import', 'tsx', supervising], { cwd: ROOT, env }) as ChildProcessWithoutNullStreams;
    let output = '';
    supervisor.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOutput(supervisor, /serving/, 30_000);
    const pid = descendant(supervisor.pid!, service)!;
    // Nothing reaches the service but the end of its supervisor.
    supervisor.kill('SIGKILL');
    await eventually(() => !alive(pid), 10_000);
    expect(output).toContain('stopped cleanly');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 60_000);
