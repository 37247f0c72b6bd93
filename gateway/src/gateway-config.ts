// The gateway's one configuration file (YAML, validated at start): who may
// call (API key digests, JWT settings), operation limits, rate limits, the
// proxies trusted to name the client, the response cache and introspection. Secrets never live in it: a JWT secret is named by the
// environment variable that holds it, and API keys appear only as digests.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseGraphQL } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { ConfigError, z } from '@interop/kit';
import type { AuthOptions } from './auth/authenticate';
import type { ApiKeyRecord } from './auth/api-keys';
import { clientAddressOf } from './client-address';
import { parseCorsOrigins } from './cors';
import { DEFAULT_MANIFEST_FILE, loadTrustedDocuments, TRUSTED_DOCUMENT_MODES, type TrustedDocumentMode, type TrustedDocuments } from './trusted-documents';
import type { OperationLimits } from './operation-limits';
import { DEFAULT_RATE_LIMIT, DEFAULT_RESPONSE_CACHE, DEFAULT_WARM_UP, type RateLimitConfig, type ResponseCacheSettings, type WarmUpSettings } from './defaults';

const scope = z.string().regex(/^[a-z]+:[A-Za-z0-9_*-]+$/, 'a scope looks like `payments:read` or `merchant:m0000001`');

const apiKeySchema = z.object({
  id: z.string().min(1),
  partnerId: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'the hex SHA-256 of the key (`printf %s "$KEY" | sha256sum`)'),
  scopes: z.array(scope).default([]),
  /** Overrides `trustedDocuments.mode` for this key. */
  trustedDocuments: z.enum(TRUSTED_DOCUMENT_MODES).optional(),
}).strict();

const jwtSchema = z
  .object({
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1),
    /** The environment variable that holds the HS256 secret. */
    hs256SecretEnv: z.string().min(1).optional(),
    /** RS256: a JWKS file, relative to the config file. */
    jwksFile: z.string().min(1).optional(),
    partnerClaim: z.string().min(1).optional(),
    scopesClaim: z.string().min(1).optional(),
    clockToleranceSeconds: z.number().int().min(0).max(300).optional(),
  })
  .strict()
  .refine((jwt) => (jwt.hs256SecretEnv === undefined) !== (jwt.jwksFile === undefined), 'set exactly one of hs256SecretEnv and jwksFile');

const positive = z.number().int().min(1);

/** The warm-up runs the operation as it is: one query, nothing that could change the graph. */
const warmUpQuery = z.string().superRefine((text, context) => {
  let definitions;
  try {
    definitions = parseGraphQL(text, { noLocation: true }).definitions;
  } catch (error) {
    context.addIssue({ code: 'custom', message: `not a GraphQL document: ${(error as Error).message}` });
    return;
  }
  const operations = definitions.filter((definition) => definition.kind === 'OperationDefinition');
  if (operations.length !== 1 || operations[0]?.operation !== 'query') context.addIssue({ code: 'custom', message: 'must hold exactly one operation, a query' });
});

const warmUpSchema = z
  .object({
    requests: z.number().int().min(0).max(10_000),
    maxSeconds: positive.max(600),
    /** The operation Apollo Sandbox opens on; on unless false (a supergraph of other subgraphs has not its fields). */
    sandboxExample: z.boolean(),
    operations: z.array(z.object({ query: warmUpQuery, variables: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())).min(1).max(100)]).optional() }).strict()).max(20),
  })
  .partial()
  .strict()
  .default({});

const fileSchema = z
  .object({
    auth: z.object({ apiKeys: z.array(apiKeySchema).default([]), jwt: jwtSchema.optional() }).strict().default({ apiKeys: [] }),
    limits: z.object({ maxDepth: positive, maxAliases: positive, maxRootFields: positive, maxCost: positive, maxTokens: positive, maxFragments: positive }).partial().strict().default({}),
    rateLimit: z
      .object({ enabled: z.boolean(), points: positive, anonymousPoints: positive, windowSeconds: positive })
      .partial()
      .strict()
      .default({}),
    responseCache: z.object({ enabled: z.boolean(), maxSizeMiB: positive }).partial().strict().default({}),
    /** Proxies whose X-Forwarded-For names the client, for per-IP budgets; none unless listed. */
    trustedProxies: z.array(z.string().min(1)).default([]),
    /** Introspection and field suggestions; on outside production unless set. */
    introspection: z.boolean().optional(),
    /** Which documents callers may run: `off` any, `log` any (logging untrusted ones), `enforce` only the manifest's. */
    trustedDocuments: z
      .object({ mode: z.enum(TRUSTED_DOCUMENT_MODES).default('off'), manifest: z.string().min(1).optional() })
      .strict()
      .default({ mode: 'off' }),
    /** Origins whose browser apps may call the graph (CORS): exact origins, or `*`. */
    cors: z.object({ origins: z.array(z.string().min(1)).default([]) }).strict().default({ origins: [] }),
    /** Queries run before the gateway reports ready (see warm-up.ts): the Sandbox's example operation and those listed. */
    warmUp: warmUpSchema,
  })
  .strict();

export type GatewayFile = z.infer<typeof fileSchema>;

export interface RateLimitSettings extends RateLimitConfig {
  enabled: boolean;
}

export interface GatewaySettings {
  auth: AuthOptions;
  limits: Partial<OperationLimits>;
  rateLimit: RateLimitSettings;
  responseCache: ResponseCacheSettings;
  trustedProxies: string[];
  introspection: boolean | undefined;
  /** The origins allowed by CORS: GATEWAY_CORS_ORIGINS (comma-separated) when set, else the file's `cors.origins`. */
  corsOrigins: string[];
  /** The mode for callers whose key sets none, and the manifest (the file's `manifest`, relative to the file, else trusted-documents.json when present). */
  trustedDocuments: { mode: TrustedDocumentMode; manifest: TrustedDocuments | undefined };
  warmUp: WarmUpSettings;
}

const problems = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`).join('; ');

/**
 * Reads the file (when given) and the environment: `GATEWAY_API_KEYS` adds keys
 * (a JSON array of the same records), and a JWT secret comes from the variable
 * the file names.
 */
export function readGatewaySettings(path: string | undefined, env: Record<string, string | undefined>): GatewaySettings {
  let file: GatewayFile = fileSchema.parse({});
  if (path) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (error) {
      throw new ConfigError(`cannot read gateway config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]}`);
    }
    const result = fileSchema.safeParse(parsed);
    if (!result.success) throw new ConfigError(`Invalid gateway config ${path}: ${problems(result.error)}`);
    file = result.data;
  }
  const apiKeys: ApiKeyRecord[] = [...file.auth.apiKeys, ...envApiKeys(env.GATEWAY_API_KEYS)];
  const jwt = file.auth.jwt;
  let jwtOptions: AuthOptions['jwt'];
  if (jwt) {
    const secret = jwt.hs256SecretEnv ? env[jwt.hs256SecretEnv] : undefined;
    if (jwt.hs256SecretEnv && (!secret || Buffer.byteLength(secret) < 32)) {
      throw new ConfigError(`Invalid gateway config: ${jwt.hs256SecretEnv} must hold the HS256 secret (at least 32 bytes)`);
    }
    jwtOptions = {
      audience: jwt.audience,
      issuer: jwt.issuer,
      hs256Secret: secret,
      jwksFile: jwt.jwksFile && path ? resolve(dirname(path), jwt.jwksFile) : jwt.jwksFile,
      partnerClaim: jwt.partnerClaim,
      scopesClaim: jwt.scopesClaim,
      clockToleranceSeconds: jwt.clockToleranceSeconds,
    };
  }
  try {
    clientAddressOf(file.trustedProxies);
  } catch (error) {
    throw new ConfigError(`Invalid gateway config: trustedProxies: ${(error as Error).message}`);
  }
  return {
    auth: { apiKeys, jwt: jwtOptions },
    limits: defined(file.limits),
    rateLimit: { enabled: true, ...DEFAULT_RATE_LIMIT, ...defined(file.rateLimit) },
    responseCache: { ...DEFAULT_RESPONSE_CACHE, ...defined(file.responseCache) },
    trustedProxies: file.trustedProxies,
    introspection: file.introspection,
    corsOrigins: corsOrigins(env.GATEWAY_CORS_ORIGINS, file.cors.origins),
    trustedDocuments: trustedDocuments(file.trustedDocuments, path, apiKeys),
    warmUp: warmUpSettings(file.warmUp),
  };
}

function warmUpSettings({ sandboxExample = true, operations = [], ...limits }: GatewayFile['warmUp']): WarmUpSettings {
  return { ...DEFAULT_WARM_UP, ...defined(limits), operations: [...(sandboxExample ? DEFAULT_WARM_UP.operations : []), ...operations] };
}

/** The settings the file gives, without the keys it leaves out (so they do not mask defaults). */
function defined<T extends object>(settings: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function trustedDocuments(settings: GatewayFile['trustedDocuments'], configPath: string | undefined, apiKeys: readonly ApiKeyRecord[]): GatewaySettings['trustedDocuments'] {
  const named = settings.manifest === undefined ? undefined : resolve(configPath ? dirname(configPath) : '.', settings.manifest);
  const path = named ?? (existsSync(DEFAULT_MANIFEST_FILE) ? DEFAULT_MANIFEST_FILE : undefined);
  const manifest = path === undefined ? undefined : loadTrustedDocuments(path);
  const enforced = settings.mode === 'enforce' || apiKeys.some((key) => key.trustedDocuments === 'enforce');
  if (enforced && manifest === undefined) {
    throw new ConfigError(`Invalid gateway config: trustedDocuments: enforce needs a manifest (npm run build:documents writes ${DEFAULT_MANIFEST_FILE})`);
  }
  return { mode: settings.mode, manifest };
}

function corsOrigins(fromEnv: string | undefined, fromFile: string[]): string[] {
  const listed = fromEnv === undefined || fromEnv.trim() === '' ? fromFile : fromEnv.split(',').map((origin) => origin.trim()).filter(Boolean);
  return parseCorsOrigins(listed);
}

function envApiKeys(text: string | undefined): ApiKeyRecord[] {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('Invalid configuration: GATEWAY_API_KEYS must be a JSON array of {id, partnerId, sha256, scopes}');
  }
  const result = z.array(apiKeySchema).safeParse(parsed);
  if (!result.success) throw new ConfigError(`Invalid configuration: GATEWAY_API_KEYS: ${problems(result.error)}`);
  return result.data;
}
