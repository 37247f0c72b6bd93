// Folders a test writes in (a spawned service's data, a file a gateway reads),
// made under the system's temporary folder. Each is removed when its test file
// is done, after its hooks have stopped what they started (the test
// environment's teardown), so test runs leave nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a test file's globals keep the folders it made. */
export const SCRATCH_DIRS = Symbol.for('interop.test.scratchDirs');

type Holder = Record<symbol, string[] | undefined>;

/** A new empty folder named `<prefix>XXXXXX`, removed when the test file ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  ((globalThis as Holder)[SCRATCH_DIRS] ??= []).push(dir);
  return dir;
}

/** Removes the folders made in `holder` (a test file's globals); what cannot be removed is left. */
export function removeScratchDirs(holder: object): void {
  const made = (holder as Holder)[SCRATCH_DIRS] ?? [];
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A process outside the test's groups still writing there: the folder stays, as before.
    }
  }
}
