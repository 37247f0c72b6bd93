// `@interop/kit/server`: serving GraphQL over HTTP: a subgraph's bootstrap,
// the HTTP server and its answers (compression, parts, errors, pages), and the
// clients a service reaches its peers with.
export { apolloAnswer, type ApolloResult, cacheControlHeader, type FormatError, formatErrorAsApollo, type HttpHead, newCachePolicy, singleResultContentType } from './apollo-answer';
export { maskingFormatError } from './format-error';
export { type AnswerDirectly, BodyError, close, createGraphQLHttpServer, type DirectAnswer, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, DRAIN_GRACE_MS, type GraphQLHttpOptions, type GraphQLStreams, keepAliveTimeoutMs, listen, type PostedGraphQLStreams, readRawBody, type Route, sendError, sendJson } from './http';
export { canSendLater, MULTIPART_DEFER_CONTENT_TYPE, sendLater, takeLater, writeMultipart } from './incremental';
export { MultipartWriter } from './multipart';
export { parentOf, whenNpmGone } from './parent-watch';
export { createSubgraphApollo, loadTypeDefs, type RunningSubgraph, type ServeOptions, serveSubgraph, stopOnSignals, subgraphAdmission, type SubgraphDefinition, type SubgraphTrust } from './subgraph';
export { subgraphDirectAnswers, type SubgraphDirectAnswers } from './subgraph-direct-answers';
export { entityFragment, type EntityFragment, type EntityRepresentation, SubgraphClient, type SubgraphClientOptions } from './subgraph-client';
export { acceptedEncoding, type AnswerOptions, type ContentEncoding, preferredMediaType, sendAnswer } from './http-answer';
export { type HttpAgents, type HttpAnswer, httpRequest, type HttpRequest, HttpTimeoutError, keptAliveAgents } from './http-request';
export { metricsRoute } from './metrics-route';
export { readiness, type Readiness } from './readiness';
export { encodeCursor, MAX_PAGE_SIZE, type Page, type PageInfo, pageRequest, type PageRequest, toPage } from './pagination';
export { selectsPath } from './selection';
export { hasNul, nulArgumentPath, refuseNulArguments } from './text-arguments';
