// What a test starts dies with its process group: the child, and whatever the child started.
import { alive, childProcesses, eventually, killProcessGroups, spawnInGroup } from '@interop/testing/processes';


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
