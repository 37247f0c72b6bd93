// A federated graph made for one test file: small subgraphs written in the
// test (SDL and resolvers, built with @apollo/subgraph), each served over HTTP
// on a port the OS picks, composed with @apollo/composition, and this
// project's gateway in front of them as it runs in production (signed
// identities, no response cache, so every request reaches the subgraphs).
// Each subgraph keeps the operations it was sent, so a test can check what the
// gateway fetched as well as what it answered.
import type { Server } from 'node:http';
import { composeServices } from '@apollo/composition';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { parse } from 'graphql';
import { createLogger, type Logger } from '@interop/kit';
import { close, createGraphQLHttpServer, listen, subgraphAdmission, type Route } from '@interop/kit/server';
import { startGateway, type GatewayOptions, type RunningGateway } from '@interop/gateway';
import { NO_RESPONSE_CACHE, postGraphQL, TEST_GATEWAY_OPTIONS, type GraphQLResponse } from './harness';
import { PARTNER_A, TEST_TRUST } from './identities';

const HOST = '127.0.0.1';

export interface SubgraphSpec {
  name: string;
  /** The subgraph's SDL, with its own `extend schema @link(...)` for the federation directives it uses. */
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
  /** Plain HTTP routes beside GraphQL, by exact path (an event stream). */
  routes?: Readonly<Record<string, Route>>;
}

/** One operation as a subgraph received it from the gateway. */
export interface SubgraphRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface FixtureSubgraph {
  name: string;
  url: string;
  /** What the gateway sent, oldest first; tests may empty it between requests. */
  requests: SubgraphRequest[];
  stop(): Promise<void>;
}

export interface Federation {
  gateway: RunningGateway;
  supergraphSdl: string;
  subgraphs: Record<string, FixtureSubgraph>;
  /** Sends one operation through the gateway as a partner with every scope. */
  query<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export class FederationCompositionError extends Error {
  constructor(readonly codes: string[], message: string) {
    super(message);
    this.name = 'FederationCompositionError';
  }
}

/** Serves one subgraph over HTTP, admitting only requests the test gateway signed. */
export async function startFixtureSubgraph(spec: SubgraphSpec, logger: Logger = createLogger(spec.name)): Promise<FixtureSubgraph> {
  const requests: SubgraphRequest[] = [];
  const recording: ApolloServerPlugin = {
    async requestDidStart({ request }) {
      requests.push({ query: request.query ?? '', variables: request.variables ?? {} });
    },
  };
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(spec.typeDefs), resolvers: spec.resolvers }),
    includeStacktraceInErrorResponses: false,
    // The fixture's stop ends it; tests never signal their own process.
    stopOnTerminationSignals: false,
    plugins: [recording, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server: Server = createGraphQLHttpServer({
    apollo,
    graphqlPaths: ['/graphql'],
    context: async () => ({}),
    identify: subgraphAdmission(spec.name, TEST_TRUST, logger),
    logger,
    ...(spec.routes ? { routes: spec.routes } : {}),
  });
  const port = await listen(server, 0, HOST);
  let stopping: Promise<void> | undefined;
  return {
    name: spec.name,
    url: `http://${HOST}:${port}/graphql`,
    requests,
    stop() {
      stopping ??= close(server).then(() => apollo.stop());
      return stopping;
    },
  };
}

/** The supergraph of these subgraphs, routed to their URLs; throws with the composition error codes when they do not compose. */
export function composeFixture(specs: readonly SubgraphSpec[], urls: Readonly<Record<string, string>>): string {
  const result = composeServices(specs.map((spec) => ({ name: spec.name, url: urls[spec.name] ?? `http://${spec.name}.invalid/graphql`, typeDefs: parse(spec.typeDefs) })));
  if (result.errors) {
    const codes = result.errors.map((error) => String(error.extensions['code'] ?? 'COMPOSITION_ERROR'));
    throw new FederationCompositionError(codes, result.errors.map((error) => error.message).join('\n'));
  }
  return result.supergraphSdl;
}

/** Starts the subgraphs, composes them and starts a gateway over them; `stop` ends all of it. */
export async function startFederation(specs: readonly SubgraphSpec[], gateway: Partial<Omit<GatewayOptions, 'supergraphSdl'>> = {}): Promise<Federation> {
  const started: FixtureSubgraph[] = [];
  try {
    for (const spec of specs) started.push(await startFixtureSubgraph(spec));
    const subgraphs = Object.fromEntries(started.map((subgraph) => [subgraph.name, subgraph]));
    const supergraphSdl = composeFixture(specs, Object.fromEntries(started.map((subgraph) => [subgraph.name, subgraph.url])));
    const running = await startGateway({ ...TEST_GATEWAY_OPTIONS, ...NO_RESPONSE_CACHE, ...gateway, supergraphSdl, port: 0, host: HOST });
    return {
      gateway: running,
      supergraphSdl,
      subgraphs,
      query: (query, variables) => postGraphQL(running.url, query, variables, PARTNER_A),
      async stop() {
        await running.stop();
        await Promise.all(started.map((subgraph) => subgraph.stop()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((subgraph) => subgraph.stop()));
    throw error;
  }
}
