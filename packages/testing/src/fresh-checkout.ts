// A copy of this checkout as a new user's clone has it: the files git would
// check out (what is ignored, such as web/dist and .data, is left behind), with
// node_modules laid out as `npm ci` would lay it, from this checkout's install.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT } from './processes';

const WORKSPACE_SCOPE = '@interop';

export function freshCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), 'interop-clone-'));
  // Tracked files as they are in the working tree, and new files not yet ignored.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  linkInstall(copy);
  return copy;
}

/**
 * Third-party packages are linked from this checkout's install; the workspace
 * packages are linked to the copy's own folders, as `npm ci` links them, so
 * the copy runs its own code.
 */
function linkInstall(copy: string): void {
  const scope = join(ROOT, 'node_modules', WORKSPACE_SCOPE);
  const workspaces = new Map(readdirSync(scope).map((name) => [name, relative(ROOT, realpathSync(join(scope, name)))]));
  for (const folder of ['.', ...workspaces.values()]) {
    const installed = join(ROOT, folder, 'node_modules');
    if (!existsSync(installed)) continue;
    const target = join(copy, folder, 'node_modules');
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(installed)) {
      if (folder === '.' && entry === WORKSPACE_SCOPE) continue;
      symlinkSync(join(installed, entry), join(target, entry));
    }
  }
  const copiedScope = join(copy, 'node_modules', WORKSPACE_SCOPE);
  mkdirSync(copiedScope);
  for (const [name, folder] of workspaces) symlinkSync(relative(copiedScope, join(copy, folder)), join(copiedScope, name));
}
