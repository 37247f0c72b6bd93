// What a test starts dies with its process group: the child, and whatever the child started.
import { childProcesses, killProcessGroups, spawnInGroup } from '../processes';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('killing the process groups ends a started process and the processes it started', async () => {
  // A parent that starts a grandchild and then ignores SIGTERM, as a stuck service might.
  const parent = spawnInGroup(
    process.execPath,
    ['-e', "process.on('SIGTERM', () => {}); require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000);"],
    { stdio: 'ignore' },
  );
  let grandchild: number | undefined;
  await eventually(() => (grandchild = childProcesses(parent.pid!)[0]?.pid) !== undefined);

  killProcessGroups();

  await eventually(() => !alive(parent.pid!) && !alive(grandchild!));
});
