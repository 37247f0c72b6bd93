// Whether built output is older than what it was built from, by modification
// times: what `npm start`, `npm run start:prod` and the bench check before
// they run a build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that never hold a build's inputs. */
const NOT_SOURCES = new Set(['node_modules', 'dist', '__tests__']);

/** The newest modification time under `path` (0 when it is missing), leaving out dependencies, build output and tests. */
export function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path)
    .filter((entry) => !NOT_SOURCES.has(entry))
    .reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

/** True when `output` is missing or any of `sources` changed after it was written. */
export function isStale(output: string, sources: readonly string[]): boolean {
  if (!existsSync(output)) return true;
  return Math.max(...sources.map(newestChange)) > statSync(output).mtimeMs;
}
