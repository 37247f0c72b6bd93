// The production build as it ships: every service bundled into a folder laid
// out like the checkout, with only the manifests, the lockfile and the files
// the services read at run time beside it, installed by `npm ci --omit=dev`
// (so no tsx, no build tools), then each started with plain node under
// NODE_ENV=production. Each must answer /health: an import of a package that
// is only a devDependency, or a file the bundle reads but the folder lacks,
// stops it first.
import { execFile, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildServices, builtEntry, SERVICES, type ServiceName } from '../../scripts/service-build';
import { freePort, ROOT, spawnInGroup } from '../processes';

const SECRETS = { SUBGRAPH_SIGNING_SECRET: 'production-build-test-subgraph-secret', WALLET_SIGNING_SECRET: 'production-build-test-wallet-secret' };

/** The manifests `npm ci` installs from: the root's and every workspace's. */
function manifests(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const folders = workspaces.flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(join(ROOT, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern],
  );
  return ['package.json', 'package-lock.json', ...folders.map((folder) => `${folder}/package.json`).filter((file) => existsSync(join(ROOT, file)))];
}

/** What the services read at run time besides their bundles. */
const RUNTIME_FILES = ['supergraph.graphql', 'gateway.config.yaml', 'subgraphs/commerce/schema.graphql', 'subgraphs/payments/schema.graphql', 'subgraphs/merchants/schema.graphql'];

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

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'interop-production-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('every service starts with plain node from its build on an npm ci --omit=dev install and answers /health', async () => {
  await buildServices(folder);
  for (const file of [...manifests(), ...RUNTIME_FILES]) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(folder, file));
  }
  await promisify(execFile)('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: folder, env: { ...process.env, NODE_ENV: 'production' } });
  expect(existsSync(join(folder, 'node_modules', 'tsx'))).toBe(false);
  expect(existsSync(join(folder, 'node_modules', 'esbuild'))).toBe(false);

  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await freePort()] as const))) as Record<ServiceName, number>;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: join(folder, 'data'),
    SUBGRAPH_HOST: '127.0.0.1',
    COMMERCE_PORT: String(ports.commerce),
    PAYMENTS_PORT: String(ports.payments),
    MERCHANTS_PORT: String(ports.merchants),
    WALLET_PORT: String(ports.wallet),
    MERCHANT_COUNT: '20',
    ...SECRETS,
  };
  const started = SERVICES.map((service) => {
    const argv = [builtEntry(service, folder), ...(service === 'gateway' ? ['--port', String(ports.gateway), '--host', '127.0.0.1'] : [])];
    const child = spawnInGroup(process.execPath, argv, { cwd: folder, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { service, argv, child, stderr: () => stderr };
  });
  const answers = await Promise.all(started.map(({ service, child }) => healthy(`http://127.0.0.1:${ports[service]}/health`, child, 90_000)));
  for (const [i, { service, argv, child, stderr }] of started.entries()) {
    if (answers[i] !== 200) throw new Error(`${service} answered ${answers[i]} (exit ${child.exitCode}):\n${stderr()}`);
    // Plain node: no loader, no flags, only the bundle and its own arguments.
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').slice(0, -1)).toEqual([process.execPath, ...argv]);
  }
}, 240_000);
