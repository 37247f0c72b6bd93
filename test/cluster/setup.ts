// What a run of the scale-out test sets up before the cluster starts: a
// database of its own (so both replicas of each subgraph migrate a fresh
// schema at the same moment, and nothing of another run is counted), API
// keys of its own, and a gateway configuration with a small rate limit.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  /** False when the server refused CREATE DATABASE: the run then shares the given database, told apart by its partner ids. */
  own: boolean;
  drop(): Promise<void>;
}

export async function scratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `interop_cluster_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    console.log(`Cannot create a database of its own (${(error as Error).message}); the run uses ${new URL(serverUrl).pathname.slice(1)}.`);
    return { url: serverUrl, own: false, drop: async () => {} };
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    own: true,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // Connections a killed replica left behind would block the drop.
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await client.end();
      }
    },
  };
}

export const ALL_SCOPES = ['payments:read', 'payments:write', 'merchants:read', 'merchants:write'];

export interface Credentials {
  /** The load's partner: its keys are spread over the calls, each staying well under the rate limit. */
  partnerId: string;
  loadKeys: string[];
  /** The load partner's key for the opt-in change and the reads around it, so they never wait on the load's budgets. */
  checkerKey: string;
  /** One key of another partner, used only to spend its rate-limit budget through both gateways. */
  probeKey: string;
  /** For GATEWAY_API_KEYS. */
  records: { id: string; partnerId: string; sha256: string; scopes: string[] }[];
}

export function credentials(runId: string, loadKeyCount: number): Credentials {
  const key = () => `cluster-${randomBytes(16).toString('hex')}`;
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  const partnerId = `cluster-load-${runId}`;
  const loadKeys = Array.from({ length: loadKeyCount }, key);
  const checkerKey = key();
  const probeKey = key();
  return {
    partnerId,
    loadKeys,
    checkerKey,
    probeKey,
    records: [
      ...loadKeys.map((text, i) => ({ id: `load-${runId}-${i}`, partnerId, sha256: digest(text), scopes: ALL_SCOPES })),
      { id: `checker-${runId}`, partnerId, sha256: digest(checkerKey), scopes: ALL_SCOPES },
      { id: `probe-${runId}`, partnerId: `cluster-probe-${runId}`, sha256: digest(probeKey), scopes: ['payments:read'] },
    ],
  };
}

/** The gateways' configuration file: the repository's defaults but a per-credential rate limit of `points` a minute. */
export function writeGatewayConfig(dir: string, points: number): string {
  const path = join(dir, 'gateway.config.yaml');
  writeFileSync(
    path,
    [
      '# Written by the scale-out test for one run.',
      'rateLimit:',
      '  enabled: true',
      `  points: ${points}`,
      '  anonymousPoints: 120',
      '  windowSeconds: 60',
      'responseCache:',
      '  enabled: true',
      '',
    ].join('\n'),
  );
  return path;
}
