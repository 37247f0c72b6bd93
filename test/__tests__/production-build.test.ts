// What each image of the Dockerfile runs, without a container daemon: the
// runtime stage's files laid out in a temporary folder as its COPY lines lay
// them (the bundles from `npm run build`, built here), installed by
// `npm ci --omit=dev` (no tsx, no build tools), then each service target's CMD
// run with plain node under the image's ENV. Each must answer its
// HEALTHCHECK: an import of a package that is only a devDependency, or a file
// the bundle reads but the image lacks, stops it first.
import { execFile, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { buildServices, builtEntry, SERVICES, type ServiceName } from '../../scripts/service-build';
import { cachedStep } from '@interop/testing/layer-cache';
import { freePort, ROOT, spawnInGroup } from '@interop/testing/processes';

const run = promisify(execFile);

interface Stage {
  from: string;
  env: Record<string, string>;
  copies: { fromStage?: string; sources: string[]; dest: string }[];
  /** Each RUN, with how many of the stage's COPY lines came before it (its cache key's inputs, as docker build keys a layer). */
  runs: { command: string; copiesBefore: number }[];
  cmd?: string[];
  healthcheck?: string[];
}

/** The Dockerfile's stages by name: the instructions this test acts on. */
function readDockerfile(): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  for (const line of readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split('\n')) {
    const [instruction = '', ...rest] = line.trim().split(/\s+/);
    const args = line.trim().slice(instruction.length).trim();
    if (instruction === 'FROM') {
      stage = { from: rest[0]!, env: {}, copies: [], runs: [] };
      stages.set(rest[2] ?? rest[0]!, stage);
    } else if (!stage || instruction.startsWith('#')) {
      continue;
    } else if (instruction === 'ENV') {
      const [name, ...value] = args.split('=');
      stage.env[name!] = value.join('=');
    } else if (instruction === 'COPY') {
      const fromStage = rest[0]?.startsWith('--from=') ? rest.shift()!.slice('--from='.length) : undefined;
      stage.copies.push({ ...(fromStage ? { fromStage } : {}), sources: rest.slice(0, -1), dest: rest.at(-1)! });
    } else if (instruction === 'RUN') {
      stage.runs.push({ command: args, copiesBefore: stage.copies.length });
    } else if (instruction === 'CMD') {
      stage.cmd = JSON.parse(args) as string[];
    } else if (instruction === 'HEALTHCHECK') {
      stage.healthcheck = JSON.parse(args.replace(/^CMD\s+/, '')) as string[];
    }
  }
  return stages;
}

/** 200 once the URL answers OK; the exit code if the process exits first; 0 on time-out. */
async function healthy(url: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return child.exitCode;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return response.status;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 0;
}

const PORT_VARIABLES: Record<ServiceName, string> = {
  gateway: 'GATEWAY_PORT',
  commerce: 'COMMERCE_PORT',
  payments: 'PAYMENTS_PORT',
  merchants: 'MERCHANTS_PORT',
  wallet: 'WALLET_PORT',
};

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'interop-image-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('each image target runs its service with plain node from the build on an npm ci --omit=dev install, as a non-root user, and passes its HEALTHCHECK', async () => {
  const stages = readDockerfile();
  const runtime = stages.get('runtime')!;
  expect(runtime.from).toMatch(/^node:(2\d|[3-9]\d)[\w.-]*-slim$/);
  expect(runtime.env.NODE_ENV).toBe('production');
  const install = runtime.runs.find(({ command }) => command.startsWith('npm ci --omit=dev'));
  expect(install).toBeDefined();
  expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m);

  // The runtime stage's files: from the build stage, the bundles; from the checkout, the rest.
  const fromBuild = runtime.copies.filter((copy) => copy.fromStage === 'build');
  expect(fromBuild.flatMap((copy) => copy.sources).sort()).toEqual(SERVICES.map((service) => dirname(builtEntry(service, '/app'))).sort());
  await buildServices(folder);
  // What the install's layer is built from: the files copied in before it.
  const installInputs: string[] = [];
  for (const [index, { sources, dest, fromStage }] of runtime.copies.entries()) {
    if (fromStage) continue;
    for (const source of sources) {
      // As COPY does: a file into a folder named with a trailing slash, a folder's contents into dest.
      const folderCopy = statSync(join(ROOT, source)).isDirectory();
      const target = dest.endsWith('/') && !folderCopy ? join(folder, dest, basename(source)) : join(folder, dest);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(ROOT, source), target, { recursive: true });
      if (index < install!.copiesBefore) installInputs.push(relative(folder, target));
    }
  }
  // Run as docker build runs it: again whenever a file it is built from changed, else from the layer kept.
  await cachedStep(folder, {
    inputs: installInputs,
    command: ['npm', 'ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'],
    output: 'node_modules',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  expect(existsSync(join(folder, 'node_modules', 'tsx'))).toBe(false);
  expect(existsSync(join(folder, 'node_modules', 'esbuild'))).toBe(false);
  // The patched dependencies run patched: every patch is in place (it reverses cleanly).
  for (const patch of readdirSync(join(folder, 'patches'))) await run('git', ['apply', '--check', '--reverse', join('patches', patch)], { cwd: folder });

  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [PORT_VARIABLES[service], String(await freePort())]))) as Record<string, string>;
  const started = SERVICES.map((service) => {
    const target = stages.get(service);
    const healthcheck = target?.healthcheck ?? runtime.healthcheck;
    if (!target?.cmd || !healthcheck) throw new Error(`the Dockerfile has no target ${service} with a CMD and a HEALTHCHECK`);
    expect(target.from).toBe('runtime');
    // The check asks the port the service listens on.
    expect(target.env.HEALTH_PORT).toBe(target.env[PORT_VARIABLES[service]]);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...runtime.env,
      ...target.env,
      // Free ports and the loopback address in place of the image's own; secrets as a deployment gives them.
      ...ports,
      HEALTH_PORT: ports[PORT_VARIABLES[service]],
      SUBGRAPH_HOST: '127.0.0.1',
      SUBGRAPH_SIGNING_SECRET: 'image-test-subgraph-signing-secret',
      WALLET_SIGNING_SECRET: 'image-test-wallet-signing-secret',
      LOG_LEVEL: 'warn',
    };
    const [command, ...args] = target.cmd;
    expect(command).toBe('node');
    // Plain node on the built bundle: no loader, no flags.
    expect(args).toEqual([relative(folder, builtEntry(service, folder))]);
    const child = spawnInGroup(process.execPath, args, { cwd: folder, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { service, child, env, healthcheck, stderr: () => stderr };
  });
  const answers = await Promise.all(started.map(({ service, child }) => healthy(`http://127.0.0.1:${ports[PORT_VARIABLES[service]]}/health`, child, 90_000)));
  for (const [i, { service, child, env, healthcheck, stderr }] of started.entries()) {
    if (answers[i] !== 200) throw new Error(`${service} answered ${answers[i]} (exit ${child.exitCode}):\n${stderr()}`);
    const [command, ...args] = healthcheck;
    expect(command).toBe('node');
    // Rejects (a non-zero exit) when the image's own check fails.
    await run(process.execPath, args, { cwd: folder, env });
  }
}, 240_000);
