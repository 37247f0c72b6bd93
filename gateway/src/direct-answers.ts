// Operations the gateway has run before, answered without Apollo Server's
// request pipeline. The first run of an operation goes through the pipeline
// (parsing, validation, every plugin) and the engine keeps it by its text
// (see engine/known-operations); a repeat skips what the pipeline redoes per
// request (the text's hash, the document store, content negotiation, about
// forty awaited plugin hooks) and does only what depends on the request, as
// the plugins do: the operation limits, the response cache, the engine's run,
// error masking, the client's aliases, the cache-control header, metrics and
// the access log. A persisted query (APQ, or a trusted document by hash) is
// resolved from Apollo Server's persisted-query cache and registered there as
// Apollo Server would. Anything else (a refusal, variables that do not fit, a
// plan no longer cached, a hash nobody registered, @defer, subscriptions, a
// GET that is not a plain query) is left to Apollo Server, so the answer is
// Apollo Server's wherever this path has none.
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { isRecord, type Logger } from '@interop/kit';
import { apolloAnswer, cacheControlHeader, formatErrorAsApollo, newCachePolicy, singleResultContentType, type AnswerDirectly, type FormatError } from '@interop/kit/server';
import { restoreAnswer } from './alias-normalisation';
import type { GatewayContext } from './context';
import type { PlanEngine } from './engine/plan-engine';
import type { GatewayMetrics } from './metrics';
import type { LimitsVerdict } from './operation-limits';
import { malformedField } from './operation-runner';
import { persistedQueryIn, textHash, type PersistedQueries } from './persisted-queries';
import type { RequestMetrics } from './request-metrics';
import type { Lookup, ResponseCache } from './response-cache';

export interface DirectAnswersOptions {
  engine: PlanEngine;
  /** The API schema the operation limits measure against (the one loaded now). */
  schema: () => GraphQLSchema | undefined;
  limits: LimitsVerdict;
  requests: RequestMetrics;
  metrics: GatewayMetrics;
  responseCache: ResponseCache | null;
  /** Apollo Server's formatError (masking internal errors). */
  formatError: FormatError;
  persistedQueries: PersistedQueries;
  logger: Logger;
}

export function directAnswers(options: DirectAnswersOptions): AnswerDirectly<GatewayContext> {
  return async (req, body, context) => {
    const request = await directRequest(body, options.persistedQueries);
    const known = request && options.engine.knownOperation(request.query, request.operationName);
    const schema = options.schema();
    // A GET runs queries only: Apollo Server refuses anything else with 405.
    if (!request || !known || !schema || (req.method === 'GET' && known.operation.operation !== 'query')) return null;
    const contentType = singleResultContentType(req.headers.accept);
    if (!contentType || options.limits(schema, known.document, known.operation, request.variables ?? {})) return null;
    // Past the checks Apollo Server registers a sent text after: registered as it would be.
    if (request.registers) options.persistedQueries.register(request.registers, request.query, (error) => options.logger.warn({ err: error }, 'persisted query not registered'));
    const measured = options.requests.begin(context);
    const operationName = known.operation.name?.value ?? null;
    const policy = newCachePolicy();
    const headers = new Map<string, string>([['content-type', contentType]]);
    const isQuery = known.operation.operation === 'query';
    let lookup: Lookup | null = null;
    let result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] } | undefined;
    let status = 200;
    if (isQuery && options.responseCache) {
      lookup = await options.responseCache.lookup(known.queryHash, operationName, request.variables);
      if (lookup.stored) {
        policy.replace(lookup.stored.cachePolicy);
        result = { data: lookup.stored.data };
      }
    }
    if (!result) {
      const running = options.engine.runKnown(known, request.variables, context, policy);
      if (!running) return null;
      try {
        result = await running;
      } catch (error) {
        // As Apollo Server answers an executor that throws.
        result = { errors: [error instanceof GraphQLError ? error : new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error as Error })] };
        status = 500;
      }
    }
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) {
      measured.errors(result.errors);
      errors = result.errors.map((error) => formatErrorAsApollo(error, options.formatError, (http) => {
        if (http.status) status = http.status;
        for (const [name, value] of http.headers ?? []) headers.set(name, value);
      }));
    }
    const answer = { ...('data' in result ? { data: result.data } : {}), ...(errors ? { errors } : {}) };
    if (lookup) options.responseCache!.settle(lookup, { ...answer, policy, headers }, options.logger);
    if (context.aliases) restoreAnswer(answer, context.aliases);
    headers.set('cache-control', cacheControlHeader(policy, errors !== undefined));
    measured.answered(operationName);
    options.metrics.directAnswers.inc();
    return apolloAnswer(status, headers, answer);
  };
}

interface DirectRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** The persisted query's hash the text was sent with, to register it under. */
  registers?: string;
}

/**
 * The body's fields when it is an operation this path can answer, its text
 * looked up when a persisted query names it by hash alone; null leaves it to
 * Apollo Server (which refuses what is malformed, and answers a hash it does
 * not know with PERSISTED_QUERY_NOT_FOUND). Other extensions it ignores.
 */
async function directRequest(body: Readonly<Record<string, unknown>>, persisted: PersistedQueries): Promise<DirectRequest | null> {
  const { query, operationName, variables, extensions } = body;
  if (malformedField(body)) return null;
  const fields = { operationName: typeof operationName === 'string' ? operationName : undefined, variables: isRecord(variables) ? variables : undefined };
  const named = persistedQueryIn(extensions);
  if (named === null) return typeof query === 'string' ? { query, ...fields } : null;
  if (named === 'unsupported') return null;
  if (typeof query === 'string') return textHash(query) === named.sha256Hash ? { query, ...fields, registers: named.sha256Hash } : null;
  const registered = await persisted.text(named.sha256Hash);
  return registered === undefined ? null : { query: registered, ...fields };
}
