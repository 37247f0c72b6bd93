// What `docker build` does for a RUN step, for tests that lay an image's files
// out without a container daemon: the step's result is kept, keyed by the
// command and every file copied in before it, and reused while none of them
// changed. A changed lockfile, package.json or patch runs the step again.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CACHE = join(tmpdir(), 'interop-graph-image-layers');

/** Every file under `path` (or `path` itself), in a stable order. */
function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(path, entry))
    .filter((entry) => statSync(entry).isFile())
    .sort();
}

/** The layer's key: the tools that run the step, the step, and the name and content of every file its inputs hold. */
async function layerKey(folder: string, inputs: readonly string[], command: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(`node ${process.version}\0npm ${(await run('npm', ['--version'])).stdout.trim()}\0${command.join('\0')}\0`);
  for (const input of [...inputs].sort()) {
    for (const file of filesUnder(join(folder, input))) hash.update(`${relative(folder, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** The folders named `name` under `folder`, at any depth but not inside one another, relative to `folder`. */
function foldersNamed(folder: string, name: string, under = ''): string[] {
  return readdirSync(join(folder, under), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => (entry.name === name ? [join(under, entry.name)] : foldersNamed(folder, name, join(under, entry.name))));
}

/**
 * Runs `command` in `folder` unless a run with the same inputs (paths relative
 * to `folder`) kept what it wrote: every folder named `output`, wherever the
 * step made one (npm ci: the root's node_modules and any workspace's own).
 */
export async function cachedStep(
  folder: string,
  { inputs, command, output, env }: { inputs: readonly string[]; command: readonly string[]; output: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  const kept = join(CACHE, await layerKey(folder, inputs, command));
  if (existsSync(kept)) {
    // Hard links, as an overlay filesystem shares a layer's files: nothing writes to them once installed.
    // Symbolic links (workspaces') are copied as written: relative, so they point into `folder`.
    await run('cp', ['--archive', '--link', `${kept}/.`, folder]);
    return;
  }
  const [file, ...args] = command;
  await run(file!, args, { cwd: folder, env });
  // Kept under a name of its own first, so a run cut short never leaves half a layer behind the key.
  mkdirSync(CACHE, { recursive: true });
  const staging = `${kept}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const made of foldersNamed(folder, output)) cpSync(join(folder, made), join(staging, made), { recursive: true, verbatimSymlinks: true });
  try {
    renameSync(staging, kept);
  } catch {
    // Another run kept the same layer first.
    rmSync(staging, { recursive: true, force: true });
  }
}
