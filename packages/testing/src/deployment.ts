// What the deployment files (docker-compose.yaml, deploy/) must agree with,
// read from the repository itself: the Dockerfile's targets, the environment
// variables each service reads, the routes it serves, and the Kubernetes
// manifests as `kubectl kustomize` renders them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { serviceEnv, type z } from '@interop/kit';
import { merchantsEnv } from '../../../subgraphs/merchants/src/config';
import { paymentsEnv } from '../../../subgraphs/payments/src/config';
import { walletEnv } from '../../../wallet/src/config';
import { ROOT } from './processes';

export const SERVICES = ['gateway', 'commerce', 'payments', 'merchants', 'wallet'] as const;
export type Service = (typeof SERVICES)[number];

const SOURCE_DIRS: Record<Service, string> = {
  gateway: 'gateway/src',
  commerce: 'subgraphs/commerce/src',
  payments: 'subgraphs/payments/src',
  merchants: 'subgraphs/merchants/src',
  wallet: 'wallet/src',
};

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The non-test TypeScript of a folder, every file's text joined. */
function sources(dir: string): string {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('__tests__') && !file.includes('__generated__'))
    .map((file) => read(join(dir, file)))
    .join('\n');
}

const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1]!);

export interface DockerTarget {
  cmd: string[];
  env: Record<string, string>;
  exposed: number[];
}

/** The Dockerfile's stages by name, with what each sets for the stage (ENV and EXPOSE of its own lines). */
export function dockerfileTargets(): Map<string, DockerTarget> {
  const targets = new Map<string, DockerTarget>();
  let current: DockerTarget | undefined;
  for (const line of read('Dockerfile').split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) {
      current = { cmd: [], env: {}, exposed: [] };
      targets.set(from[1]!, current);
      continue;
    }
    if (!current) continue;
    const env = /^ENV\s+([A-Z0-9_]+)=(\S*)/.exec(line);
    if (env) current.env[env[1]!] = env[2]!;
    const cmd = /^CMD\s+(\[.*\])\s*$/.exec(line);
    if (cmd) current.cmd = JSON.parse(cmd[1]!) as string[];
    const expose = /^EXPOSE\s+(\d+)/.exec(line);
    if (expose) current.exposed.push(Number(expose[1]));
  }
  return targets;
}

/** Variables every service reads through the kit: its log level, tracing, and NODE_ENV. */
function kitCommonEnv(): string[] {
  const text = read('packages/kit/src/logger.ts') + read('packages/kit/src/tracing.ts');
  return ['NODE_ENV', ...matches(text, /env\.([A-Z][A-Z0-9_]+)/g)];
}

/** Each service's own settings, beside the shared ones (kit `serviceEnv`), as it declares them next to its entry point. */
const OWN_ENV: Record<Exclude<Service, 'gateway'>, z.ZodObject> = {
  commerce: serviceEnv,
  payments: paymentsEnv,
  merchants: merchantsEnv,
  wallet: walletEnv,
};

/** What each of the shared configuration's derived values reads (see readServiceConfig). */
const DERIVED: Record<string, (argument: string | undefined) => string[]> = {
  trust: () => ['SUBGRAPH_SIGNING_SECRET', 'SUBGRAPH_SIGNING_SECRETS_ACCEPTED', 'ALLOW_UNSIGNED_SUBGRAPH_REQUESTS'],
  storage: () => ['DATABASE_URL', 'DATA_DIR', 'PGLITE_SHARED_BUFFERS'],
  peerUrl: (name) => [`${name!.toUpperCase()}_URL`, `${name!.toUpperCase()}_PORT`],
  port: (name) => [`${name!.toUpperCase()}_PORT`],
};

/**
 * The environment variables a service reads. A subgraph or the wallet: every
 * setting of its own schema, and what its entry point takes from the shared
 * ones, directly or through a derived value. The gateway: every `env.NAME` of
 * its sources, and the variable its config file names for the JWT secret
 * (`hs256SecretEnv`, `gatewayConfig`).
 */
export function envReadBy(service: Service, gatewayConfig = ''): Set<string> {
  const names = new Set(kitCommonEnv());
  if (service === 'gateway') {
    const text = sources(SOURCE_DIRS.gateway);
    for (const name of matches(text, /env\.([A-Z][A-Z0-9_]+)/g)) names.add(name);
    // Variables read through a schema: `readConfig(z.object({ NAME: ... }), env)`.
    for (const name of matches(text, /z\.object\(\{ ([A-Z][A-Z0-9_]+): /g)) names.add(name);
    for (const name of matches(gatewayConfig, /hs256SecretEnv:\s*([A-Z][A-Z0-9_]+)/g)) names.add(name);
    return names;
  }
  const shared = new Set(Object.keys(serviceEnv.shape));
  const own = Object.keys(OWN_ENV[service].shape).filter((name) => !shared.has(name));
  for (const name of own) names.add(name);
  const main = read(join(SOURCE_DIRS[service], 'main.ts'));
  for (const name of matches(main, /config\.([A-Z][A-Z0-9_]+)/g)) {
    if (!shared.has(name) && !own.includes(name)) throw new Error(`${service} reads config.${name}, which neither its config nor the shared one defines`);
    names.add(name);
  }
  for (const match of main.matchAll(/config\.([a-z][A-Za-z]*)(?:\('([a-z]+)'\))?/g)) {
    // A service's own derived values read only its own settings, all counted above.
    for (const name of DERIVED[match[1]!]?.(match[2]) ?? []) names.add(name);
  }
  return names;
}

/** Whether a service's sources serve `path` as a route (the subgraphs' and the wallet's /health come from the kit or their own server). */
export function serves(service: Service, path: string): boolean {
  const own = sources(SOURCE_DIRS[service]);
  const shared = service === 'gateway' || service === 'wallet' ? '' : read('packages/kit/src/subgraph.ts');
  const quoted = new RegExp(`['"\`]${path.replace(/\//g, '\\/')}['"\`]`);
  return quoted.test(own) || quoted.test(shared);
}

/** The subgraph names of the repository's supergraph. */
export function supergraphSubgraphs(): string[] {
  return matches(read('supergraph.graphql'), /@join__graph\(name: "([^"]+)"/g).sort();
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The objects `kubectl kustomize` renders from a kustomization folder; a missing kubectl is a failure that says so. */
export function kustomize(dir: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('kubectl is not installed: the Kubernetes manifests are checked as `kubectl kustomize` renders them (kubectl 1.27 or newer, with its built-in kustomize)', { cause: error });
    }
    throw new Error(`kubectl kustomize ${dir} failed: ${String((error as { stderr?: string }).stderr ?? error)}`, { cause: error });
  }
  return parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
}

/** Whether every label of `selector` is on `labels`. */
export const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** The shell commands of a markdown page's `sh` blocks, one a line. */
export function shCommands(page: string): string[] {
  const commands: string[] = [];
  let inside = false;
  for (const line of read(page).split('\n')) {
    if (/^```sh\s*$/.test(line)) inside = true;
    else if (inside && line.trimEnd() === '```') inside = false;
    else if (inside && line.trim() !== '') commands.push(line.trim());
  }
  return commands;
}
