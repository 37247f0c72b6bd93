// The services' production build: each service (three subgraphs, the wallet,
// the gateway) bundled by esbuild into one CommonJS file, <service>/dist/main.js,
// with the workspace packages (@interop/kit, @interop/domain) inside it and
// every npm package left to node_modules, so it runs with plain `node` on an
// `npm ci --omit=dev` install.
//
// A bundle, not tsc's file-per-module output: both start in the same time
// (loading Apollo, OpenTelemetry and PGlite dominates, not our modules), but
// tsc's output would need the workspace packages' `main` to name built files,
// which tsx, jest and every test resolve to the TypeScript sources today;
// bundling leaves them as they are, and takes about a second.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Plugin } from 'esbuild';
import type { SubgraphName } from '@interop/kit';
import { isStale } from './freshness';

export type ServiceName = SubgraphName | 'wallet' | 'gateway';

const ROOT = join(__dirname, '..');

/** Each service's workspace folder; its source entry is src/main.ts there, its build dist/main.js. */
export const SERVICE_DIRS: Record<ServiceName, string> = {
  commerce: 'subgraphs/commerce',
  payments: 'subgraphs/payments',
  merchants: 'subgraphs/merchants',
  wallet: 'wallet',
  gateway: 'gateway',
};

export const SERVICES = Object.keys(SERVICE_DIRS) as ServiceName[];

/** What every bundle is built from: the workspace code it takes in and the manifests that decide what stays external. */
const SOURCES = ['packages/kit', 'packages/domain', 'subgraphs', 'gateway', 'wallet', 'package.json'].map((path) => join(ROOT, path));

export function sourceEntry(service: ServiceName): string {
  return join(ROOT, SERVICE_DIRS[service], 'src', 'main.ts');
}

/** The built entry point under `root` (the checkout, or a folder laid out like it). */
export function builtEntry(service: ServiceName, root = ROOT): string {
  return join(root, SERVICE_DIRS[service], 'dist', 'main.js');
}

export function servicesBuildIsStale(): boolean {
  return SERVICES.some((service) => isStale(builtEntry(service), SOURCES));
}

/** Bare imports outside the workspace stay `require` calls, resolved from node_modules at run time. */
const npmPackagesStayExternal: Plugin = {
  name: 'npm-packages-stay-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) => (path.startsWith('@interop/') ? undefined : { path, external: true }));
  },
};

/**
 * Bundles every service into `outRoot`, laid out like the checkout. Each file
 * is written beside its final name and renamed over it, so a process starting
 * meanwhile never loads half a bundle.
 */
export async function buildServices(outRoot = ROOT): Promise<void> {
  const { build } = await import('esbuild');
  // Every dist folder first: creating one changes its service folder's time,
  // which would make a bundle written before it look older than its sources.
  for (const service of SERVICES) mkdirSync(dirname(builtEntry(service, outRoot)), { recursive: true });
  await Promise.all(
    SERVICES.map(async (service) => {
      const outfile = builtEntry(service, outRoot);
      const result = await build({
        entryPoints: [sourceEntry(service)],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        // Not minified, so logs and stack traces name classes and functions as the
        // source does (V8 names a function after the variable it is bound to). No
        // keepNames: it also restores the few names the bundle suffixes to avoid
        // a clash (`guard2`), at the price of a property defined on every closure
        // each time one is created, 1.4% of the gateway's CPU on a one-field query.
        sourcemap: 'linked',
        sourceRoot: relative(dirname(outfile), ROOT),
        plugins: [npmPackagesStayExternal],
        write: false,
        logLevel: 'warning',
      });
      for (const file of result.outputFiles) {
        mkdirSync(dirname(file.path), { recursive: true });
        const partial = `${file.path}.${process.pid}.tmp`;
        writeFileSync(partial, file.contents);
        renameSync(partial, file.path);
      }
    }),
  );
}

/** Builds the services when their build is missing or older than their sources; true when it built. */
export async function buildServicesIfStale(): Promise<boolean> {
  if (!servicesBuildIsStale()) return false;
  await buildServices();
  return true;
}
