// The gateway's command line: `gateway --supergraph FILE --port N`. Every
// mistake ends in one line on stderr and a non-zero exit.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, DEFAULT_PORTS, readConfig, readTrust, SECRET_MIN_LENGTH, secretList, wholeNumber, z } from '@interop/kit';
import { DEVELOPMENT_SIGNING_SECRET } from '@interop/kit/security';
import type { AuthOptions } from './auth/authenticate';
import { digestKey, type ApiKeyRecord } from './auth/api-keys';
import { readGatewaySettings, type GatewaySettings, type RateLimitSettings } from './gateway-config';
import type { DemoOptions } from './demo';
import { DEFAULT_DEMO_API_KEY, DEFAULT_SUBGRAPH_TIMEOUT_MS, type ResponseCacheSettings } from './defaults';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits';
import { DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from './subscriptions/limits';
import type { LiveEventsConfig } from './subscriptions';
import type { FollowedBusConfig } from '@interop/kit/events';

export const USAGE =
  'usage: gateway [--supergraph FILE] [--config FILE] [--port N] [--host HOST] [--subgraph-url NAME=URL ...] [--subgraph-timeout NAME=MS ...] [--demo DIR] [--docs DIR]';

/** Read when present and no other file is named. */
export const DEFAULT_CONFIG_FILE = 'gateway.config.yaml';

export interface GatewayCli {
  supergraphPath: string;
  supergraphSdl: string;
  port: number;
  host: string;
  subgraphUrls: Record<string, string>;
  /** Default fetch timeout (SUBGRAPH_TIMEOUT_MS) and per-subgraph ones (--subgraph-timeout). */
  subgraphTimeoutMs: number;
  subgraphTimeouts: Record<string, number>;
  /** The config file's, overridden by GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES, GATEWAY_MAX_ROOT_FIELDS, GATEWAY_MAX_COST, GATEWAY_MAX_TOKENS and GATEWAY_MAX_FRAGMENTS. */
  limits: OperationLimits;
  /** From REDIS_URL and DATABASE_URL, as the subgraphs read them: where live entities' changes come from. */
  liveEvents: LiveEventsConfig;
  /** The same, as the subgraphs that announce fact changes read them: where those changes come from. */
  factEvents: FollowedBusConfig;
  /** The config file's `responseCache`. */
  responseCache: ResponseCacheSettings;
  /** From GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION, GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER, GATEWAY_SUBSCRIPTION_IDLE_MS and GATEWAY_SUBSCRIPTION_RECHECK_MS. */
  subscriptionLimits: Partial<SubscriptionLimits>;
  /** The config file read (--config, GATEWAY_CONFIG, or gateway.config.yaml when present). */
  configPath: string | undefined;
  signingSecret: string;
  auth: AuthOptions;
  rateLimit: RateLimitSettings;
  /** The config file's `trustedProxies`. */
  trustedProxies: string[];
  /** The config file's `cors.origins`, or GATEWAY_CORS_ORIGINS. */
  corsOrigins: string[];
  /** The config file's `trustedDocuments`, with the manifest read. */
  trustedDocuments: GatewaySettings['trustedDocuments'];
  /** The config file's `warmUp`; GATEWAY_WARM_UP_REQUESTS overrides its `requests` (0 turns it off). */
  warmUp: GatewaySettings['warmUp'];
  introspection?: boolean;
  /** REDIS_URL: rate-limit counts and cached answers shared by every gateway process. */
  redisUrl: string | undefined;
  /** --demo DIR: the built demo web app to serve at /demo, with DEMO_API_KEY as the key it sends. */
  demo?: DemoOptions;
  /** --docs DIR: the guides (docs/*.md) to serve at /docs/. */
  docsDir?: string;
}

export function parseGatewayCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): GatewayCli {
  let values: { supergraph?: string; config?: string; port?: string; host?: string; 'subgraph-url'?: string[]; 'subgraph-timeout'?: string[]; demo?: string; docs?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        supergraph: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'subgraph-url': { type: 'string', multiple: true },
        'subgraph-timeout': { type: 'string', multiple: true },
        demo: { type: 'string' },
        docs: { type: 'string' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; ${USAGE}`);
  }
  const supergraphPath = values.supergraph ?? env.SUPERGRAPH_PATH ?? 'supergraph.graphql';
  const portText = values.port ?? env.GATEWAY_PORT ?? String(DEFAULT_PORTS.gateway);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`--port must be a port number (0-65535), got ${portText}`);
  const subgraphUrls: Record<string, string> = {};
  for (const entry of values['subgraph-url'] ?? []) {
    const match = /^([A-Za-z0-9_-]+)=(https?:\/\/.+)$/.exec(entry);
    if (!match?.[1] || !match[2]) throw new ConfigError(`--subgraph-url must be NAME=URL, got ${entry}`);
    subgraphUrls[match[1]] = match[2];
  }
  const subgraphTimeoutMs = setting(env.SUBGRAPH_TIMEOUT_MS, 'SUBGRAPH_TIMEOUT_MS', DEFAULT_SUBGRAPH_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const subgraphTimeouts: Record<string, number> = {};
  for (const entry of values['subgraph-timeout'] ?? []) {
    const match = /^([A-Za-z0-9_-]+)=(.+)$/.exec(entry);
    if (!match?.[1] || !match[2]) throw new ConfigError(`--subgraph-timeout must be NAME=MS, got ${entry}`);
    subgraphTimeouts[match[1]] = setting(match[2], '--subgraph-timeout', DEFAULT_SUBGRAPH_TIMEOUT_MS, MAX_TIMEOUT_MS);
  }
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(supergraphPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read supergraph file ${supergraphPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const configPath = values.config ?? env.GATEWAY_CONFIG ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const settings = readGatewaySettings(configPath, env);
  // The gateway only signs, but it checks the secrets accepted besides its own
  // as the subgraphs do, so one set of variables serves every process.
  const { SUBGRAPH_SIGNING_SECRETS_ACCEPTED } = readConfig(z.object({ SUBGRAPH_SIGNING_SECRETS_ACCEPTED: secretList(SECRET_MIN_LENGTH) }), env);
  const { signingSecret } = readTrust({
    SUBGRAPH_SIGNING_SECRET: env.SUBGRAPH_SIGNING_SECRET || DEVELOPMENT_SIGNING_SECRET,
    SUBGRAPH_SIGNING_SECRETS_ACCEPTED,
    ALLOW_UNSIGNED_SUBGRAPH_REQUESTS: false,
    NODE_ENV: env.NODE_ENV,
  });
  if (signingSecret.length < SECRET_MIN_LENGTH) throw new ConfigError(`SUBGRAPH_SIGNING_SECRET must be at least ${SECRET_MIN_LENGTH} characters`);
  const limits = { ...DEFAULT_OPERATION_LIMITS, ...settings.limits };
  return {
    configPath,
    signingSecret,
    auth: env.DEMO_API_KEY ? { ...settings.auth, apiKeys: [...settings.auth.apiKeys, demoKey(env.DEMO_API_KEY)] } : settings.auth,
    rateLimit: settings.rateLimit,
    trustedProxies: settings.trustedProxies,
    corsOrigins: settings.corsOrigins,
    trustedDocuments: settings.trustedDocuments,
    warmUp: { ...settings.warmUp, requests: setting(env.GATEWAY_WARM_UP_REQUESTS, 'GATEWAY_WARM_UP_REQUESTS', settings.warmUp.requests, 10_000, 0) },
    redisUrl: env.REDIS_URL || undefined,
    ...(settings.introspection === undefined ? {} : { introspection: settings.introspection }),
    supergraphPath,
    supergraphSdl,
    port,
    host: values.host ?? env.GATEWAY_HOST ?? '::',
    subgraphUrls,
    subgraphTimeoutMs,
    subgraphTimeouts,
    limits: {
      maxDepth: setting(env.GATEWAY_MAX_DEPTH, 'GATEWAY_MAX_DEPTH', limits.maxDepth),
      maxAliases: setting(env.GATEWAY_MAX_ALIASES, 'GATEWAY_MAX_ALIASES', limits.maxAliases),
      maxRootFields: setting(env.GATEWAY_MAX_ROOT_FIELDS, 'GATEWAY_MAX_ROOT_FIELDS', limits.maxRootFields),
      maxCost: setting(env.GATEWAY_MAX_COST, 'GATEWAY_MAX_COST', limits.maxCost),
      maxTokens: setting(env.GATEWAY_MAX_TOKENS, 'GATEWAY_MAX_TOKENS', limits.maxTokens),
      maxFragments: setting(env.GATEWAY_MAX_FRAGMENTS, 'GATEWAY_MAX_FRAGMENTS', limits.maxFragments),
    },
    liveEvents: { redisUrl: env.REDIS_URL || undefined, databaseUrl: env.DATABASE_URL || undefined },
    factEvents: { redisUrl: env.REDIS_URL || undefined, databaseUrl: env.DATABASE_URL || undefined },
    responseCache: settings.responseCache,
    subscriptionLimits: {
      maxPerConnection: setting(
        env.GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION,
        'GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION',
        DEFAULT_SUBSCRIPTION_LIMITS.maxPerConnection,
      ),
      maxPerCaller: setting(env.GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER, 'GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER', DEFAULT_SUBSCRIPTION_LIMITS.maxPerCaller),
      idleTimeoutMs: setting(env.GATEWAY_SUBSCRIPTION_IDLE_MS, 'GATEWAY_SUBSCRIPTION_IDLE_MS', DEFAULT_SUBSCRIPTION_LIMITS.idleTimeoutMs),
      recheckMs: setting(env.GATEWAY_SUBSCRIPTION_RECHECK_MS, 'GATEWAY_SUBSCRIPTION_RECHECK_MS', DEFAULT_SUBSCRIPTION_LIMITS.recheckMs, MAX_TIMEOUT_MS),
    },
    ...(values.demo === undefined ? {} : { demo: { distDir: values.demo, apiKey: env.DEMO_API_KEY || DEFAULT_DEMO_API_KEY } }),
    ...(values.docs === undefined ? {} : { docsDir: values.docs }),
  };
}

/** DEMO_API_KEY (set by `npm start`): the demo partner, with every payment and opt-in scope. */
export const DEMO_PARTNER_ID = 'demo-partner';
export const DEMO_SCOPES = ['payments:read', 'payments:write', 'merchants:read', 'merchants:write'];

function demoKey(key: string): ApiKeyRecord {
  return { id: 'demo', partnerId: DEMO_PARTNER_ID, sha256: digestKey(key), scopes: DEMO_SCOPES };
}

const MAX_SETTING = Number.MAX_SAFE_INTEGER;

/** One whole-number variable, `fallback` when unset; a ConfigError naming it otherwise. */
function setting(text: string | undefined, name: string, fallback: number, max = MAX_SETTING, min = 1): number {
  return readConfig(z.object({ [name]: wholeNumber(fallback, min, max) }), { [name]: text })[name] as number;
}

const MAX_TIMEOUT_MS = 600_000;
