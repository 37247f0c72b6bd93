// The environment every service of the product shares, in one place: where the
// subgraphs listen and reach each other, storage, events, and the gateway's
// signing trust. A service with settings of its own extends `serviceEnv` next
// to its entry point and reads it with `readServiceConfig`. Ports and peer URLs
// follow the same defaults that `npm start` and supergraph.yaml use.
import { ConfigError, flag, ownSecret, ownSecrets, port, readConfig, secretList, wholeNumber, z } from './config';
import type { StorageOptions } from './db/open-owned';
import { SHARED_BUFFERS_PATTERN } from './db/shared-buffers';
import { DEVELOPMENT_SIGNING_SECRET } from './identity';
import type { SubgraphTrust } from './subgraph';

export const DEFAULT_PORTS = { gateway: 4000, commerce: 4001, payments: 4002, merchants: 4003, wallet: 4004 } as const;
export type SubgraphName = 'commerce' | 'payments' | 'merchants';

/** The shortest shared secret a process takes, current or accepted. */
export const SECRET_MIN_LENGTH = 16;

type RotatingSecretEnv<Name extends string> = { [K in Name]: string } & { [K in `${Name}S_ACCEPTED`]?: readonly string[] } & { NODE_ENV?: string | undefined };

/**
 * A secret two processes share and rotate without stopping: `<Name>`, the one
 * this process signs with (the public development value unless set), and
 * `<Name>S_ACCEPTED`, comma-separated secrets whose signatures are accepted
 * too while processes restart onto a new one. `fields` go into a service's
 * schema; `read` refuses the development value in either under
 * NODE_ENV=production, when asked, so a process that never uses the secret
 * does not need it set.
 */
export function rotatingSecret<const Name extends string>(name: Name, developmentValue: string) {
  const acceptedName: `${Name}S_ACCEPTED` = `${name}S_ACCEPTED`;
  const fields = {
    [name]: z.string().min(SECRET_MIN_LENGTH).default(developmentValue),
    [acceptedName]: secretList(SECRET_MIN_LENGTH),
  } as { [K in Name]: z.ZodDefault<z.ZodString> } & { [K in `${Name}S_ACCEPTED`]: ReturnType<typeof secretList> };
  return {
    fields,
    read(env: RotatingSecretEnv<Name>): { secret: string; accepted: readonly string[] } {
      return {
        secret: ownSecret(name, env[name], developmentValue, env.NODE_ENV),
        accepted: ownSecrets(acceptedName, (env[acceptedName] as readonly string[] | undefined) ?? [], developmentValue, env.NODE_ENV),
      };
    },
  };
}

/** The gateway's signing secret for the subgraphs, and those accepted besides it while it is rotated. */
const subgraphSigning = rotatingSecret('SUBGRAPH_SIGNING_SECRET', DEVELOPMENT_SIGNING_SECRET);

const optionalUrl = z.url().optional();

export const serviceEnv = z.object({
  COMMERCE_PORT: port(DEFAULT_PORTS.commerce),
  PAYMENTS_PORT: port(DEFAULT_PORTS.payments),
  MERCHANTS_PORT: port(DEFAULT_PORTS.merchants),
  /** Interface the subgraphs bind; loopback by default, since clients go through the gateway. */
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  /** Overrides where a subgraph reaches a peer (defaults to 127.0.0.1 and the peer's port). */
  COMMERCE_URL: optionalUrl,
  PAYMENTS_URL: optionalUrl,
  MERCHANTS_URL: optionalUrl,
  /** How long a subgraph waits for a peer before failing closed. */
  PEER_TIMEOUT_MS: wholeNumber(2000, 1, 600_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().min(1).optional(),
  /** PostgreSQL's `shared_buffers` in each PGlite database (e.g. `32MB`); PostgreSQL's default, 128MB, unless set. */
  PGLITE_SHARED_BUFFERS: z.string().regex(SHARED_BUFFERS_PATTERN, 'a whole number of kB, MB or GB, e.g. 32MB').optional(),
  /** A Redis server that carries events between processes (payment status changes to every gateway). */
  REDIS_URL: optionalUrl,
  /**
   * SUBGRAPH_SIGNING_SECRET, the secret the gateway signs callers' identities
   * with and the subgraphs verify (every process must share it), and
   * SUBGRAPH_SIGNING_SECRETS_ACCEPTED, more accepted while it is rotated.
   */
  ...subgraphSigning.fields,
  /** Local development only: subgraphs serve requests without the gateway's signature as anonymous. */
  ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: flag(false),
  NODE_ENV: z.string().optional(),
});

export type ServiceEnv = z.infer<typeof serviceEnv>;

/** What the shared settings derive, for every service. */
export interface ServiceDerived {
  port(name: SubgraphName): number;
  peerUrl(name: SubgraphName): string;
  /** The gateway's signing secret for the subgraphs that verify it; throws a ConfigError for the development default under NODE_ENV=production. */
  trust(): SubgraphTrust;
  /** Where the service keeps its data: DATABASE_URL's server, else PGlite under DATA_DIR. */
  storage(): StorageOptions;
}

export type ServiceConfig<Env extends ServiceEnv = ServiceEnv> = Env & ServiceDerived;

/**
 * Parses `source` with a service's schema (`serviceEnv` or an extension of it)
 * and adds what the shared settings derive; a wrong value is a ConfigError.
 */
export function readServiceConfig<S extends z.ZodType<ServiceEnv>>(schema: S, source: Record<string, string | undefined> = process.env): ServiceConfig<z.infer<S>> {
  const env = readConfig(schema, source);
  const ports = { commerce: env.COMMERCE_PORT, payments: env.PAYMENTS_PORT, merchants: env.MERCHANTS_PORT };
  const urls = { commerce: env.COMMERCE_URL, payments: env.PAYMENTS_URL, merchants: env.MERCHANTS_URL };
  return {
    ...env,
    port: (name) => ports[name],
    peerUrl: (name) => urls[name] ?? `http://127.0.0.1:${ports[name]}/graphql`,
    // Read on demand: the wallet shares this configuration but never hears from the gateway.
    trust: () => readTrust(env),
    storage: () => ({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, pgliteSharedBuffers: env.PGLITE_SHARED_BUFFERS }),
  };
}

/** The shared signing secret and those accepted besides it; production refuses the development default and the unsigned switch. */
export function readTrust(env: {
  SUBGRAPH_SIGNING_SECRET: string;
  SUBGRAPH_SIGNING_SECRETS_ACCEPTED?: readonly string[];
  ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: boolean;
  NODE_ENV?: string | undefined;
}): SubgraphTrust {
  const { secret: signingSecret, accepted: acceptedSecrets } = subgraphSigning.read(env);
  if (env.NODE_ENV === 'production' && env.ALLOW_UNSIGNED_SUBGRAPH_REQUESTS) {
    throw new ConfigError('Invalid configuration: ALLOW_UNSIGNED_SUBGRAPH_REQUESTS is for local development and refused when NODE_ENV=production');
  }
  return { signingSecret, acceptedSecrets, allowUnsigned: env.ALLOW_UNSIGNED_SUBGRAPH_REQUESTS };
}
