// The gateway: @apollo/gateway planning over a supergraph (a fixed SDL or a
// watched file), served by @apollo/server on the shared HTTP integration, with
// Apollo Sandbox on the root URL, /health, /ready, /metrics, the
// paymentUpdated subscription over WebSocket, SSE and multipart HTTP on the
// GraphQL paths (and every operation over WebSocket) and,
// when given, the demo web app at /demo and GraphiQL at /graphiql. Builds everything without listening,
// so tests choose the port.
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createLogger, startTracing, type Logger } from '@interop/kit';
import { close, createGraphQLHttpServer, listen, maskingFormatError, metricsRoute, sendJson } from '@interop/kit/server';
import type { Caller } from '@interop/kit/security';
import { aliasRestoringPlugin, normaliseBody, type NormalisedSource } from './alias-normalisation';
import { Authenticator, type AuthOptions } from './auth/authenticate';
import { clientAddressOf } from './client-address';
import { corsPolicy } from './cors';
import { documentTrust, requestedInBody, type RequestedDocument, type TrustedDocuments, type TrustedDocumentSettings } from './trusted-documents';
import type { RateLimitSettings } from './gateway-config';
import { createRateLimiter, rateLimitedError, rateLimitHeaders, type RateLimitDecision } from './rate-limit';
import { gatewayContext, type GatewayContext } from './context';
import { SubgraphDataSource } from './data-source';
import { SubgraphTransport } from './subgraph-transport';
import { DEMO_PATH, demoRoute, type DemoOptions } from './demo';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from './example-operation';
import { GRAPHIQL_PATH, graphiqlRoute } from './graphiql';
import { docsRoute, DOCS_PATH } from './docs-route';
import { FactsHeard } from './facts-heard';
import { landingPagePlugin } from './landing-page';
import { GatewayMetrics } from './metrics';
import { requestRefusal, searchRequest } from './document-limits';
import { namesPersistedQuery, PersistedQueries } from './persisted-queries';
import { DEFAULT_OPERATION_LIMITS, limitsVerdicts, operationLimitsPlugin, type LimitsVerdict, type OperationLimits } from './operation-limits';
import { operationResolutionPlugin } from './operation-resolution';
import { PlanEngine } from './engine/plan-engine';
import { operationRunner } from './operation-runner';
import { sendReadiness, type GatewayState, type SubgraphProbe } from './readiness';
import { RequestMetrics, requestMetricsPlugin } from './request-metrics';
import { directAnswers } from './direct-answers';
import { factStreamsOf, invalidateOnFactChanges, ResponseCache, type FactChanges } from './response-cache';
import type { FollowedBusConfig } from '@interop/kit/events';
import { createSubscriptionServer, liveFieldsOf, subscriptionsOverHttpRefused, type LiveEventsConfig, type LiveFields, type SubscriptionLimits } from './subscriptions';
import { acceptedSupergraph, watchedSupergraph } from './supergraph-source';
import { valueCompletionPlugin } from './value-completion';
import { DEFAULT_RATE_LIMIT, DEFAULT_RESPONSE_CACHE, DEFAULT_SUBGRAPH_TIMEOUT_MS, type ResponseCacheSettings, type WarmUpSettings } from './defaults';
import { warmUp, type WarmedOperation } from './warm-up';

const GRAPHQL_PATHS = ['/', '/graphql'];
const MAX_BODY_BYTES = 1024 * 1024;
const DOCUMENT_STORE_MIB = 8;
/** Texts clients registered as automatic persisted queries. */
const PERSISTED_QUERIES_MIB = 8;
/** Smaller answers fit in a packet or two either way; compressing them costs more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export interface GatewayOptions {
  supergraphSdl: string;
  /** When given, the file is watched and the gateway reloads the supergraph when it changes. */
  supergraphPath?: string;
  /** Replaces a subgraph's routing URL from the supergraph, by subgraph name. */
  subgraphUrls?: Readonly<Record<string, string>>;
  /** How long a subgraph fetch may take before GATEWAY_TIMEOUT; per subgraph in `subgraphTimeouts`. */
  subgraphTimeoutMs?: number;
  subgraphTimeouts?: Readonly<Record<string, number>>;
  /** How long /ready waits for each subgraph. */
  readyTimeoutMs?: number;
  /** How long a stop waits for requests in flight before cutting connections. */
  drainMs?: number;
  /** Token, fragment and nesting limits checked before parsing; depth, alias, root-field and cost limits before planning. */
  limits?: OperationLimits;
  /** Shared with the subgraphs; the caller's identity travels to them sealed with it. */
  signingSecret: string;
  /** API keys and JWT settings; without them every caller is anonymous and only public facts answer. */
  auth?: AuthOptions;
  /** Introspection and field suggestions; on unless NODE_ENV=production. */
  introspection?: boolean;
  /** Requests per window per credential and per anonymous client IP; on by default. */
  rateLimit?: RateLimitSettings;
  /** Shares rate-limit counts with the other gateway processes on this Redis. */
  redisUrl?: string | undefined;
  /** Separates these counts from other deployments sharing the Redis. */
  rateLimitKeyPrefix?: string;
  /** Proxies whose X-Forwarded-For names the client for per-IP budgets (see client-address); none by default. */
  trustedProxies?: readonly string[];
  /** Which documents callers may run, and the manifest of trusted ones (see trusted-documents); any, by default. */
  trustedDocuments?: TrustedDocumentSettings;
  /** Origins whose browser apps may call the graph (see cors); none by default. */
  corsOrigins?: readonly string[];
  /** Separates this deployment's cached answers from others sharing the Redis; `interop:response-cache` by default. */
  responseCacheKeyPrefix?: string;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** Where live entities' changes come from (see subscriptions/live-fields): Redis, PostgreSQL, or (neither given) each owning subgraph's event stream. */
  liveEvents?: LiveEventsConfig;
  /** Answers of public facts served from a cache; on by default. Shared through Redis when `redisUrl` is set. */
  responseCache?: ResponseCacheSettings;
  /**
   * Where public fact changes (which empty the response cache) come from:
   * Redis, PostgreSQL, or (neither given) the event stream of every subgraph
   * the supergraph declares `@factsAnnounced`.
   */
  factEvents?: FollowedBusConfig;
  /** Subscription limits; each defaults to DEFAULT_SUBSCRIPTION_LIMITS. */
  subscriptionLimits?: Partial<SubscriptionLimits>;
  /** Serves the built demo web app at /demo, with the API key it sends at /demo/config.json, and GraphiQL at /graphiql. */
  demo?: DemoOptions;
  /** Serves the guides (docs/*.md) from this folder at /docs/. */
  docsDir?: string;
  /**
   * Repeats of an operation skip Apollo Server's request pipeline (see
   * direct-answers); on by default. Off, every request goes through it.
   */
  directAnswers?: boolean;
  /**
   * Queries run through the engine before /ready answers 200, and again after
   * each new supergraph (see warm-up); none unless given (the command line
   * gives the config file's, by default the Sandbox's example operation).
   */
  warmUp?: WarmUpSettings;
}

export interface RunningGateway {
  port: number;
  /** The public endpoint, e.g. http://localhost:4000/ */
  url: string;
  metrics: GatewayMetrics;
  /** The first warm-up's outcome, once it has run (at once without one); /ready answers 200 only after it. */
  warmedUp: Promise<readonly WarmedOperation[]>;
  stop(): Promise<void>;
}

export interface GatewayParts {
  apollo: ApolloServer<GatewayContext>;
  engine: PlanEngine;
  /** The operation limits' verdicts, kept per document, shared by every path a request can take. */
  limitsVerdict: LimitsVerdict;
  requests: RequestMetrics;
  metrics: GatewayMetrics;
  /** The subgraphs of the schema being served, for /ready. */
  subgraphs: Map<string, SubgraphProbe>;
  /** The API schema being served, once loaded (subscriptions are checked against it). */
  apiSchema: () => GraphQLSchema | undefined;
  /** The subscription fields the loaded supergraph declares live. */
  liveFields: () => LiveFields;
  /** Empties the response cache when public facts change; null without a cache. */
  factChanges: FactChanges | null;
  /** Closes the subgraphs' connection pools, once nothing is in flight. */
  closeTransports(): Promise<void>;
  /** Apollo Server's formatError: internal errors masked. */
  formatError: ReturnType<typeof maskingFormatError>;
  /** Apollo Server's persisted-query cache, which the direct path reads and writes as it does. */
  persistedQueries: PersistedQueries;
  /** Calls `listener` once a new supergraph replaced the one being served, and Apollo Server serves it. */
  onSupergraphUpdate(listener: () => void): void;
}

export function createGatewayApollo(options: GatewayOptions, responseCache: ResponseCache | null = null): GatewayParts {
  const logger = options.logger ?? createLogger('gateway');
  const metrics = options.metrics ?? new GatewayMetrics();
  // @apollo/gateway otherwise reports usage data to Apollo and probes cloud
  // metadata addresses at start. Our gateway sends nothing off the machine
  // unless the operator opts in by setting the variable to false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const overrides = options.subgraphUrls ?? {};
  const introspection = introspectionOn(options);
  const subgraphs = new Map<string, SubgraphProbe>();
  const limits = options.limits ?? DEFAULT_OPERATION_LIMITS;
  // A mutation's fact changes reach the cache before its answer leaves, not when the bus delivers them.
  const facts = new FactsHeard(responseCache);
  // Every other change (through another gateway, or by a subgraph itself) arrives on the shared bus, else on the streams the supergraph declares.
  const factChanges =
    responseCache &&
    invalidateOnFactChanges(responseCache, options.factEvents ?? {}, { subgraphUrl: (name) => subgraphs.get(name)?.url, secret: options.signingSecret }, logger);
  const transports = new Map<string, SubgraphTransport>();
  const gateway = new ApolloGateway({
    ...(options.supergraphPath
      ? { supergraphSdl: watchedSupergraph(options.supergraphPath, acceptedSupergraph(options.supergraphSdl), logger) }
      : { supergraphSdl: acceptedSupergraph(options.supergraphSdl) }),
    logger,
    // @defer: plans carry Defer nodes, which the engine answers in parts (see engine/defer.ts).
    queryPlannerConfig: { incrementalDelivery: { enableDefer: true } },
    buildService: ({ name, url }) => {
      const routed = overrides[name] ?? url;
      if (!routed) throw new Error(`Subgraph ${name} has no routing URL`);
      subgraphs.set(name, { name, url: routed });
      const transport = new SubgraphTransport({
        subgraph: name,
        url: routed,
        timeoutMs: options.subgraphTimeouts?.[name] ?? options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
        signingSecret: options.signingSecret,
        metrics,
        epoch: () => facts.epoch,
      });
      // A new supergraph builds every subgraph's transport again: the old one's connections close once idle.
      void transports.get(name)?.close().catch(() => {});
      transports.set(name, transport);
      return new SubgraphDataSource({ transport, facts });
    },
  });
  const formatError = maskingFormatError(logger);
  // Automatic persisted queries, with every trusted document's hash known from the start.
  const persistedQueries = new PersistedQueries(persistedQueryCache(options.trustedDocuments?.manifest));
  const limitsVerdict = limitsVerdicts(limits);
  const requests = new RequestMetrics(metrics, logger);
  const engine = new PlanEngine(gateway, { transports, metrics, facts, logger, formatError });
  let apiSchema: GraphQLSchema | undefined;
  let liveFields: LiveFields = new Map();
  const updateListeners: (() => void)[] = [];
  gateway.onSchemaLoadOrUpdate((loaded) => {
    const supergraph = parse(loaded.coreSupergraphSdl, { noLocation: true });
    try {
      liveFields = liveFieldsOf(supergraph);
    } catch (error) {
      // A malformed declaration turns its subscriptions off, never the graph.
      logger.error({ err: error }, 'the supergraph declares a live field the gateway cannot serve; subscriptions are off');
      liveFields = new Map();
    }
    // Its declarations were read when it was accepted (acceptedSupergraph), so this cannot throw.
    factChanges?.follow(factStreamsOf(supergraph));
    // A new supergraph may route or resolve differently: nothing answered under
    // the old one is served again. Named by the supergraph, so gateways that
    // load the same one move to the same generation.
    if (apiSchema) responseCache?.invalidate(`supergraph:${createHash('sha256').update(loaded.coreSupergraphSdl).digest('hex')}`);
    // Apollo Server takes the new schema in a listener of its own, after this one.
    if (apiSchema) for (const listener of updateListeners) setImmediate(listener);
    apiSchema = loaded.apiSchema;
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: engine,
    logger,
    formatError,
    includeStacktraceInErrorResponses: false,
    // stopOnSignals stops the gateway in order (subscriptions, the drain, then
    // Apollo); Apollo's own handler would stop Apollo first and then re-raise
    // the signal, ending the process in the middle of the drain.
    stopOnTerminationSignals: false,
    // Production hides schema details (introspection, suggestions) unless the operator opts in.
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    // Parsed and validated operations, kept to skip both for a source seen
    // before. Apollo's default keeps 30 MiB (measured as JSON, several times
    // that in memory); operations that repeat fit in far less, and one-off
    // sources would only fill it.
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_STORE_MIB * 1024 * 1024 }),
    persistedQueries: { cache: persistedQueries.cache },
    // The HTTP paths refuse longer text before this (see document-limits); this holds for any other way in.
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      subscriptionsOverHttpRefused(),
      operationResolutionPlugin(),
      operationLimitsPlugin(limitsVerdict),
      requestMetricsPlugin(requests),
      valueCompletionPlugin(logger),
      ...(responseCache?.plugins() ?? []),
      aliasRestoringPlugin(),
      landingPagePlugin({ embed: true, footer: false, document: EXAMPLE_OPERATION, variables: EXAMPLE_VARIABLES }, { demo: options.demo !== undefined, docs: options.docsDir !== undefined }),
    ],
  });
  const closeTransports = async () => {
    await Promise.all([...transports.values()].map((transport) => transport.close()));
  };
  return {
    apollo,
    engine,
    limitsVerdict,
    requests,
    metrics,
    subgraphs,
    apiSchema: () => apiSchema,
    liveFields: () => liveFields,
    factChanges,
    closeTransports,
    formatError,
    persistedQueries,
    onSupergraphUpdate: (listener) => updateListeners.push(listener),
  };
}

function persistedQueryCache(manifest: TrustedDocuments | undefined): KeyValueCache<string> {
  const registered = new InMemoryLRUCache<string>({ maxSize: PERSISTED_QUERIES_MIB * 1024 * 1024 });
  return manifest ? manifest.persistedQueryCache(registered) : registered;
}

/**
 * Checks a caller's document against its mode (its key's, else the gateway's):
 * true when it is a trusted document; refuses an untrusted one under `enforce`
 * and logs it under `log`. Reads the request only when the mode asks.
 */
export interface StartGatewayOptions extends GatewayOptions {
  port: number;
  host: string;
}

/** Introspection and field suggestions: as configured, else on outside production. */
const introspectionOn = (options: Pick<GatewayOptions, 'introspection'>) => options.introspection ?? process.env.NODE_ENV !== 'production';

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  // Spans get ids even with no exporter: log lines and `traceresponse` name them.
  startTracing({ serviceName: 'gateway' });
  const logger = options.logger ?? createLogger('gateway');
  const authenticator = await Authenticator.create(options.auth ?? { apiKeys: [] });
  const rateLimit = options.rateLimit ?? { enabled: true, ...DEFAULT_RATE_LIMIT };
  const limiter = rateLimit.enabled ? await createRateLimiter(rateLimit, { redisUrl: options.redisUrl, keyPrefix: options.rateLimitKeyPrefix, logger }) : null;
  const metrics = options.metrics ?? new GatewayMetrics();
  const cacheSettings = options.responseCache ?? DEFAULT_RESPONSE_CACHE;
  const responseCache = cacheSettings.enabled ? await ResponseCache.open(cacheSettings, { redisUrl: options.redisUrl, keyPrefix: options.responseCacheKeyPrefix, logger, metrics }) : null;
  const parts = createGatewayApollo({ ...options, logger, metrics }, responseCache);
  const { apollo, subgraphs, apiSchema, liveFields, factChanges, closeTransports } = parts;
  await apollo.start();
  let state: GatewayState = options.warmUp ? 'warming' : 'serving';
  const limits = options.limits ?? DEFAULT_OPERATION_LIMITS;
  const clientAddress = clientAddressOf(options.trustedProxies ?? []);
  const trust = documentTrust(options.trustedDocuments, options.auth?.apiKeys ?? [], logger);
  const subscriptions = createSubscriptionServer({
    apollo,
    schema: apiSchema,
    paths: GRAPHQL_PATHS,
    live: liveFields,
    events: options.liveEvents ?? {},
    subgraphUrl: (name) => subgraphs.get(name)?.url,
    signingSecret: options.signingSecret,
    authenticate: (headers) => authenticator.authenticate(headers),
    trust,
    operations: operationRunner({
      apollo,
      limits,
      trust,
      admit: async (caller, address) => {
        const decision = await charge(caller, address);
        return decision && !decision.allowed ? rateLimitedError(decision, rateLimit) : null;
      },
    }),
    clientAddress,
    ...(options.subscriptionLimits ? { limits: options.subscriptionLimits } : {}),
    maxBodyBytes: MAX_BODY_BYTES,
    documentLimits: limits,
    hideSchemaDetails: !introspectionOn(options),
    logger,
  });
  const aliasesCut = new WeakMap<IncomingMessage, NormalisedSource>();
  const refused = new WeakMap<IncomingMessage, GraphQLError>();
  const requested = new WeakMap<IncomingMessage, RequestedDocument>();
  const cors = corsPolicy(options.corsOrigins ?? []);
  const server: Server = createGraphQLHttpServer({
    apollo,
    graphqlPaths: GRAPHQL_PATHS,
    maxBodyBytes: MAX_BODY_BYTES,
    streams: subscriptions.streams,
    postedStreams: subscriptions.postedStreams,
    logger,
    ...(cors ? { intercept: cors.handle } : {}),
    answers: { compressFrom: COMPRESS_FROM_BYTES, entityTags: true },
    ...(options.directAnswers === false
      ? {}
      : {
          answerDirectly: directAnswers({
            engine: parts.engine,
            schema: apiSchema,
            limits: parts.limitsVerdict,
            requests: parts.requests,
            metrics,
            responseCache,
            formatError: parts.formatError,
            persistedQueries: parts.persistedQueries,
            logger,
          }),
        }),
    // Aliases that tell no fields apart are cut before Apollo parses the operation (see alias-normalisation),
    // from text within the document limits only; text past them goes on as sent, for the context to refuse.
    prepareBody: (body, req) => {
      requested.set(req, requestedInBody(body));
      const refusal = requestRefusal(body, limits);
      if (refusal) {
        refused.set(req, refusal);
        return body;
      }
      // A persisted query's hash names the text as sent: a rewritten text would no longer match it.
      if (namesPersistedQuery(body)) return body;
      const rewritten = normaliseBody(body);
      if (!rewritten) return body;
      aliasesCut.set(req, rewritten.normalised);
      return rewritten.body;
    },
    // Refused after admission, so a refused request still counts against its caller's budget.
    context: async (req, res) => {
      const caller = await admit(req, res);
      // A GET's parameters, read once for the trust check and the limits.
      const fromSearch = req.method === 'GET' ? searchRequest(new URL(req.url ?? '/', 'http://localhost').search) : undefined;
      const trusted = trust(caller, () => requested.get(req) ?? requestedInBody(fromSearch));
      const refusal = refused.get(req) ?? (fromSearch ? requestRefusal(fromSearch, limits) : null);
      if (refusal) throw refusal;
      return gatewayContext(caller, aliasesCut.get(req), trusted);
    },
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': (_req, res) => sendReadiness(res, state, subgraphs.values(), options.readyTimeoutMs ?? 1000, options.signingSecret),
      '/metrics': metricsRoute(metrics.registry),
    },
    prefixRoutes: {
      ...(options.demo ? { [DEMO_PATH]: demoRoute(options.demo), [GRAPHIQL_PATH]: graphiqlRoute(options.demo) } : {}),
      ...(options.docsDir ? { [DOCS_PATH]: docsRoute(options.docsDir) } : {}),
    },
  });
  subscriptions.attach(server);
  /** The caller, counted against its budget: a credential's own, or its IP's when anonymous or refused. */
  async function admit(req: IncomingMessage, res: ServerResponse): Promise<Caller> {
    const ip = clientAddress(req);
    let caller: Caller;
    try {
      caller = await authenticator.authenticate(req.headers);
    } catch (error) {
      // Guessing keys costs the guesser's IP budget.
      await limiter?.consume(ip, true);
      throw error;
    }
    const decision = await charge(caller, ip);
    if (!decision) return caller;
    if (!decision.allowed) throw rateLimitedError(decision, rateLimit);
    for (const [name, value] of Object.entries(rateLimitHeaders(decision, rateLimit))) res.setHeader(name, value);
    return caller;
  }
  /** Counts one request against its caller's budget, a credential's own or its IP's when anonymous; null when nothing is limited. */
  async function charge(caller: Caller, ip: string): Promise<RateLimitDecision | null> {
    return limiter ? limiter.consume(caller.credentialId ?? ip, caller.credentialId === null) : null;
  }
  async function release(): Promise<void> {
    await closeTransports();
    await factChanges?.close();
    await responseCache?.close();
    await limiter?.close();
  }
  let port: number;
  try {
    port = await listen(server, options.port, options.host);
  } catch (error) {
    await subscriptions.close();
    await apollo.stop();
    await release();
    throw error;
  }
  // One warm-up at a time: a supergraph that arrives during one is warmed after it.
  const stopWarmingUp = new AbortController();
  let warmingUp: Promise<readonly WarmedOperation[]> = Promise.resolve([]);
  const warm = (settings: WarmUpSettings) => {
    warmingUp = warmingUp
      .then(() => warmUp(apollo, parts.engine, settings, logger, stopWarmingUp.signal))
      .catch((error: unknown) => {
        // Each query's failure is its own; this would be the warm-up's, and must not keep the gateway unready.
        logger.error({ err: error }, 'the warm-up failed');
        return [];
      });
    return warmingUp;
  };
  const warmedUp = options.warmUp ? warm(options.warmUp) : warmingUp;
  void warmedUp.then(() => {
    if (state === 'warming') state = 'serving';
  });
  if (options.warmUp) {
    const settings = options.warmUp;
    parts.onSupergraphUpdate(() => void warm(settings));
  }
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://localhost:${port}/`,
    metrics,
    warmedUp,
    stop() {
      // Not ready from the first moment; subscriptions never end by themselves, so
      // they are closed first; then drain requests in flight, then release the gateway (a warm-up stops at its next request).
      state = 'loading';
      stopWarmingUp.abort();
      stopping ??= subscriptions
        .close()
        .then(() => close(server, options.drainMs))
        .then(() => apollo.stop())
        .then(release);
      return stopping;
    },
  };
}
