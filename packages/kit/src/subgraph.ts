// The bootstrap every subgraph shares: schema from SDL and resolvers, masked
// errors, the HTTP server with /health, and a clean stop on SIGINT/SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { dirname, join } from 'node:path';
import { concatAST, parse, type DocumentNode } from 'graphql';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { enforceAccessDirectives } from './access';
import { cachePolicyPlugins } from './cache-policy';
import { factsChangedInAnswer } from './events/facts-in-answer';
import { maskingFormatError } from './format-error';
import { close, createGraphQLHttpServer, listen, sendJson, type Route } from './http';
import { ANONYMOUS, IDENTITY_HEADER, verifyIdentity, type Caller } from './identity';
import type { Logger } from './logger';
import { whenNpmGone } from './parent-watch';
import { everyAcceptedSecret } from './signature';
import { readiness } from './readiness';
import { refuseNulArguments } from './text-arguments';
import { subgraphDirectAnswers } from './subgraph-direct-answers';
import { startTracing } from './tracing';

/** The generated file holding the schema's `enum ErrorCode`, in the folder that holds each subgraph's. */
const ERROR_CODES_SCHEMA_FILE = 'error-codes.graphql';

/**
 * A subgraph's SDL: its schema file, and the schema's `enum ErrorCode`, which
 * every subgraph of this repository states the same way (composition merges
 * the copies into one). That file is generated from error-codes.yaml beside
 * the subgraphs' folders, so it is found from the schema file's own path, in
 * the sources and in a build. A schema file with no such file beside its
 * folder (a subgraph from elsewhere in a supergraph.yaml) is read as it is.
 */
export function loadTypeDefs(schemaFile: string): DocumentNode {
  const schema = parse(readFileSync(schemaFile, 'utf8'));
  const errorCodes = join(dirname(schemaFile), '..', ERROR_CODES_SCHEMA_FILE);
  return existsSync(errorCodes) ? concatAST([schema, parse(readFileSync(errorCodes, 'utf8'))]) : schema;
}

export interface SubgraphDefinition {
  name: string;
  typeDefs: DocumentNode;
  /** The subgraph's resolver map, typed by its generated `Resolvers` (codegen checks it against the SDL). */
  resolvers: object;
}

/** An unstarted Apollo Server for the subgraph; tests call `executeOperation` on it directly. */
export function createSubgraphApollo<TContext extends BaseContext>(
  definition: SubgraphDefinition,
  logger: Logger,
  extraPlugins: readonly ApolloServerPlugin<TContext>[] = [],
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: enforceAccessDirectives(
      refuseNulArguments(
        buildSubgraphSchema({
          typeDefs: definition.typeDefs,
          // The generated Resolvers type is stricter than Apollo's loose map; the SDL check happened at codegen.
          resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
        }),
      ),
    ),
    formatError: maskingFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // stopOnSignals stops the subgraph in order (the drain, Apollo, then its
    // stores); Apollo's own handler would re-raise the signal after stopping
    // Apollo, ending the process before the drain and the stores' close.
    stopOnTerminationSignals: false,
    // Explorers use the gateway; a subgraph is an internal service. Inline traces
    // are for Apollo Studio reporting, which this gateway does not do: they would only cost CPU.
    // Cache hints are read per operation rather than per resolved field (cache-policy.ts).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...cachePolicyPlugins<TContext>(), factsChangedInAnswer(), ...extraPlugins],
  });
}

export interface RunningSubgraph {
  name: string;
  port: number;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql. */
  url: string;
  stop(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  definition: SubgraphDefinition;
  logger: Logger;
  port: number;
  host: string;
  /** Builds the per-request context (DataLoaders live here) for the caller the gateway signed. */
  context: (caller: Caller) => TContext;
  /** How requests prove they come through the gateway (or a peer subgraph). */
  trust: SubgraphTrust;
  /** Plain HTTP routes beside GraphQL, by exact path (webhooks). */
  routes?: Readonly<Record<string, Route>>;
  /** Releases what the subgraph opened (stores, pools) after the server stopped. */
  onStop?: () => Promise<void>;
  /** Rejects when the subgraph cannot serve (its database does not answer): /ready then answers 503. */
  readinessCheck?: () => Promise<unknown>;
}

export interface SubgraphTrust {
  /** The secret the gateway and the subgraphs share for the signed identity header; everything this process signs is signed with it. */
  signingSecret: string;
  /**
   * Secrets whose signatures are accepted too, never signed with: the other
   * side of a rotation while processes restart (SUBGRAPH_SIGNING_SECRETS_ACCEPTED).
   */
  acceptedSecrets?: readonly string[];
  /** Local development only: a request without the header is served as anonymous (a forged one is still refused). */
  allowUnsigned?: boolean;
}

/** Admits requests whose identity header the gateway signed for this subgraph (`name`) over their exact content. */
export function subgraphAdmission(name: string, trust: SubgraphTrust, logger: Logger) {
  const secrets = everyAcceptedSecret(trust.signingSecret, trust.acceptedSecrets);
  return (req: IncomingMessage, signedContent: string): Caller | null => {
    const header = req.headers[IDENTITY_HEADER];
    const check = verifyIdentity(secrets, Array.isArray(header) ? header[0] : header, signedContent, name);
    if (check.ok) return check.caller;
    if (check.reason === 'missing' && trust.allowUnsigned) return ANONYMOUS;
    logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'refused a request without a valid gateway signature');
    return null;
  };
}

export async function serveSubgraph<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningSubgraph> {
  startTracing({ serviceName: options.definition.name });
  const direct = subgraphDirectAnswers<TContext>(maskingFormatError(options.logger));
  const apollo = createSubgraphApollo(options.definition, options.logger, [direct.plugin]);
  await apollo.start();
  const ready = readiness(options.definition.name, options.readinessCheck);
  const server: Server = createGraphQLHttpServer({
    apollo,
    graphqlPaths: ['/graphql'],
    context: async (_req, _res, caller) => options.context(caller ?? ANONYMOUS),
    identify: subgraphAdmission(options.definition.name, options.trust, options.logger),
    answerDirectly: direct.answer,
    logger: options.logger,
    routes: {
      ...options.routes,
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok', subgraph: options.definition.name }),
      '/ready': ready.route,
    },
  });
  if (options.trust.allowUnsigned) {
    options.logger.warn('ALLOW_UNSIGNED_SUBGRAPH_REQUESTS is on: requests without the gateway signature are served as anonymous. Local development only.');
  }
  const port = await listen(server, options.port, options.host);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/graphql`;
  options.logger.info({ url }, 'subgraph listening');
  let stopping: Promise<void> | undefined;
  return {
    name: options.definition.name,
    port,
    url,
    stop() {
      stopping ??= (async () => {
        ready.stopping();
        // Requests in flight finish (bounded) before the stores they use are closed.
        await close(server);
        await apollo.stop();
        await options.onStop?.();
      })();
      return stopping;
    },
  };
}

/**
 * Stops `service` on SIGINT or SIGTERM, or when the supervisor or npm that
 * started it is gone, and exits 0 once it has stopped; a repeated signal does not cut
 * the stop short.
 */
export function stopOnSignals(service: { stop(): Promise<void> }, logger: Logger): void {
  let stopping = false;
  const stop = (why: { signal: NodeJS.Signals } | { gone: 'supervisor' | 'npm' }) => {
    if (stopping) return;
    stopping = true;
    logger.info(why, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop({ signal: 'SIGINT' }));
  process.on('SIGTERM', () => stop({ signal: 'SIGTERM' }));
  // `npm start` and `npm run cluster` give each service an IPC channel. The
  // channel closes however the supervisor ends, SIGKILL included, when no
  // signal reaches the service: without this it would outlive the supervisor
  // and keep its port. The supervisor watches npm for its services; a service
  // npm runs itself (`npm run gateway`) watches npm, whose shell passes no
  // SIGTERM on (see parent-watch).
  if (process.channel) process.once('disconnect', () => stop({ gone: 'supervisor' }));
  else whenNpmGone(() => stop({ gone: 'npm' }));
}
