// `@interop/kit`: what every process needs whatever it serves: configuration
// from the environment, error codes, logging, tracing and the request a piece
// of work belongs to. The rest of the kit is split by concern into subpaths:
// `@interop/kit/server`, `/security`, `/db` and `/events`. Each names its
// exports one by one: what a service may import. A module's other exports are
// its own business.
export { ConfigError, flag, ownSecret, ownSecrets, port, readConfig, runMain, secretList, wholeNumber, z } from './config';
export { APOLLO_SERVER_ERROR_CODES, AppError, badUserInput, dependencyUnavailable, ErrorCode, forbidden, isClientSafe, PUBLIC_ERROR_CODES, type PublicErrorCode, unauthenticated } from './errors';
export { isRecord, parseJsonOrUndefined } from './json';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export { collectProcessMetrics } from './process-metrics';
export { DEFAULT_PORTS, readServiceConfig, readTrust, rotatingSecret, SECRET_MIN_LENGTH, type ServiceConfig, serviceEnv, type SubgraphName } from './service-config';
export { activeTraceIds, extractTraceContext, injectTraceContext, inRequestSpan, inSpan, startTracing, type TraceIds, tracer, traceResponse, type TracingOptions } from './tracing';
export { requestIdOf, requestScope, type RequestScope } from './request-scope';
