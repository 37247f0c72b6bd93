// `npm ci` only warns (EBADENGINE) when a locked package declares it does not support our Node, so a
// dependency bump that drops Node 20 would slip through CI. The lockfile is exactly what `npm ci`
// installs, so every package in it must accept both the Node running the tests and the oldest Node
// the project promises (package.json `engines`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

interface LockedPackage {
  version?: string;
  optional?: boolean;
  // Some old packages still publish the legacy array form, which npm ignores.
  engines?: { node?: string } | string[];
}

const root = join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));
const lock = readJson('package-lock.json') as { packages: Record<string, LockedPackage> };
const declared = (readJson('package.json') as { engines: { node: string } }).engines.node;

/** Locked packages whose `engines.node` excludes `nodeVersion`, as `path@version needs range`. */
function excluding(nodeVersion: string): string[] {
  const offenders: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    // npm skips the engine check for optional-only packages (platform builds it may not install).
    if (!path || entry.optional || !entry.engines || Array.isArray(entry.engines)) continue;
    const range = entry.engines.node;
    if (range && !semver.satisfies(nodeVersion, range, { includePrerelease: true })) {
      offenders.push(`${path}@${entry.version ?? '?'} needs node ${range}`);
    }
  }
  return offenders;
}

test('every locked package supports the Node running the tests', () => {
  expect(excluding(process.version)).toEqual([]);
});

test('every locked package supports the oldest Node package.json promises', () => {
  const oldest = semver.minVersion(declared);
  expect(oldest).not.toBeNull();
  expect(excluding(oldest!.version)).toEqual([]);
});
