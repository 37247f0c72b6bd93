// A process npm runs stops when npm goes, signalled or killed, although the
// shell npm runs it in passes nothing on; one started otherwise keeps running
// when its parent goes. The script here stands in for `npm run gateway`: real
// npm, the real shell, and the stop every service's main uses (the same watch
// as scripts/start.ts's).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alive, descendant, eventually, groupAlive, ROOT, runNpm, spawnInGroup, waitForOutput } from '@interop/testing/processes';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

const WATCHED = 'watched-script.cjs';
// tsx by location: the scripts run in a folder of their own, outside this checkout's node_modules.
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'parent-watch-'));
  // A stand-in service that stops the way every service's main does.
  writeFileSync(
    join(folder, WATCHED),
    `const { stopOnSignals } = require(${JSON.stringify(join(ROOT, 'packages', 'kit', 'src', 'subgraph.ts'))});
const { createLogger } = require(${JSON.stringify(join(ROOT, 'packages', 'kit', 'src', 'logger.ts'))});
stopOnSignals({ stop: async () => { console.log('stopped cleanly'); } }, createLogger('stand-in'));
console.log('watching');
setInterval(() => {}, 1000);
`,
  );
  // As package.json runs scripts/start.ts: node with tsx, the script's own process under npm's shell.
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'parent-watch-test', private: true, scripts: { watched: `node --import ${TSX} ${WATCHED}` } }));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function watchedUnderNpm(): Promise<{ npm: ChildProcessWithoutNullStreams; script: number }> {
  const npm = runNpm('watched', {}, folder);
  await waitForOutput(npm, /watching/, 30_000);
  const script = descendant(npm.pid!, WATCHED);
  if (script === undefined) throw new Error('the watched script is not among npm’s descendants');
  return { npm, script };
}

test.each(['SIGTERM', 'SIGKILL'] as const)('after %s to npm alone, the script it ran stops, and nothing of the run is left', async (signal) => {
  const { npm, script } = await watchedUnderNpm();
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process.kill(npm.pid!, signal);
  await eventually(() => !alive(script), 10_000);
  await eventually(() => !groupAlive(npm.pid!), 10_000);
  // It stopped its own way, not by a signal: it said so first.
  expect(output).toContain('stopped cleanly');
}, 60_000);

test('a script not run by npm keeps running when its parent goes', async () => {
  // The same script under a shell of its own, as `nohup node ... &` leaves it.
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  const shell = spawnInGroup('sh', ['-c', `node --import ${TSX} ${WATCHED}; true`], { cwd: folder, env }) as ChildProcessWithoutNullStreams;
  try {
    await waitForOutput(shell, /watching/, 30_000);
    const script = descendant(shell.pid!, WATCHED)!;
    process.kill(shell.pid!, 'SIGKILL');
    await eventually(() => !alive(shell.pid!));
    // Several of the watch's checks.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(script)).toBe(true);
  } finally {
    process.kill(-shell.pid!, 'SIGKILL');
  }
}, 60_000);
