// Builds the demo web app (web/) with Vite. `npm start` and `npm test` build
// web/dist when it is missing or older than its sources; `npm run build:demo
// [-- --out DIR]` builds on demand.
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isStale } from './freshness';

export const WEB_DIR = join(__dirname, '..', 'web');
export const DEMO_DIST = join(WEB_DIR, 'dist');

/** What the built files depend on: the app's own files, and the lockfile for the versions of what it bundles. */
const SOURCES = [...['index.html', 'graphiql.html', 'vite.config.mts', 'package.json', 'src', 'public'].map((name) => join(WEB_DIR, name)), join(WEB_DIR, '..', 'package-lock.json')];

export function demoBuildIsStale(distDir = DEMO_DIST): boolean {
  return isStale(join(distDir, 'index.html'), SOURCES);
}

/** Builds the app for /demo/ into `outDir`, replacing what is there. */
export async function buildDemo(outDir: string): Promise<void> {
  // Vite is ESM-only; a dynamic import loads it from this CommonJS module.
  const { build } = await import('vite');
  await build({
    root: WEB_DIR,
    configFile: join(WEB_DIR, 'vite.config.mts'),
    logLevel: 'warn',
    build: { outDir: resolve(outDir), emptyOutDir: true },
  });
}

/**
 * Builds in a process of its own: Vite sets NODE_ENV=production in the process
 * it runs in, and a caller that later starts services must not hand that on.
 */
function buildDemoInChild(outDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--out', outDir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`the Vite build exited with ${signal ?? `code ${code}`}`)),
    );
  });
}

/** Rebuilds web/dist when stale; true when it built. */
export async function buildDemoIfStale(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!demoBuildIsStale()) return false;
  await rebuildDemo(env);
  return true;
}

/**
 * Builds web/dist. The build goes to a folder beside it and is swapped in
 * whole, so a gateway already serving web/dist never sees half a build.
 */
export async function rebuildDemo(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const fresh = `${DEMO_DIST}.${process.pid}.new`;
  const old = `${DEMO_DIST}.${process.pid}.old`;
  try {
    await buildDemoInChild(fresh, env);
    if (existsSync(DEMO_DIST)) renameSync(DEMO_DIST, old);
    renameSync(fresh, DEMO_DIST);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = values.out ?? DEMO_DIST;
  buildDemo(outDir).then(
    () => console.log(`Built the demo web app into ${outDir}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
