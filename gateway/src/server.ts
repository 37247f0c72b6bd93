// The gateway: @apollo/gateway planning over a supergraph file, served by
// @apollo/server on the shared HTTP integration, with Apollo Sandbox on the
// root URL. Builds everything without listening, so tests choose the port.
import type { Server } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { close, createGraphQLHttpServer, createLogger, listen, maskingFormatError, sendJson, type Logger } from '@interop/kit';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from './example-operation';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Replaces a subgraph's routing URL from the supergraph, by subgraph name. */
  subgraphUrls?: Readonly<Record<string, string>>;
  logger?: Logger;
}

export interface RunningGateway {
  port: number;
  /** The public endpoint, e.g. http://localhost:4000/ */
  url: string;
  stop(): Promise<void>;
}

export function createGatewayApollo(options: GatewayOptions): ApolloServer {
  const logger = options.logger ?? createLogger('gateway');
  // @apollo/gateway otherwise reports usage data to Apollo and probes cloud
  // metadata addresses at start. Our gateway sends nothing off the machine
  // unless the operator opts in by setting the variable to false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const overrides = options.subgraphUrls ?? {};
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const routed = overrides[name] ?? url;
      if (!routed) throw new Error(`Subgraph ${name} has no routing URL`);
      return new RemoteGraphQLDataSource({ url: routed });
    },
  });
  return new ApolloServer({
    gateway,
    logger,
    formatError: maskingFormatError(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageLocalDefault({
        embed: true,
        footer: false,
        document: EXAMPLE_OPERATION,
        variables: EXAMPLE_VARIABLES,
      }),
    ],
  });
}

export interface StartGatewayOptions extends GatewayOptions {
  port: number;
  host: string;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const apollo = createGatewayApollo(options);
  await apollo.start();
  const server: Server = createGraphQLHttpServer({
    apollo,
    graphqlPaths: ['/', '/graphql'],
    context: async () => ({}),
    routes: { '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }) },
  });
  let port: number;
  try {
    port = await listen(server, options.port, options.host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://localhost:${port}/`,
    stop() {
      stopping ??= close(server).then(() => apollo.stop());
      return stopping;
    },
  };
}
