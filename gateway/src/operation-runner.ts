// Queries and mutations that arrive on a WebSocket, run as a POST runs them:
// counted against the caller's request budget, refused past the document
// limits before anything parses them, aliases normalised, then executed by
// Apollo Server in the caller's context, so its plugins (operation limits,
// metrics, the response cache, masking, alias restoring) apply exactly as over
// HTTP. Only the transport differs: no status line, no response headers.
import type { ApolloServer, GraphQLRequest } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { inRequestSpan, isRecord, requestScope } from '@interop/kit';
import type { Caller } from '@interop/kit/security';
import { GatewayErrorCode } from './__generated__/error-codes';
import { normaliseBody } from './alias-normalisation';
import { gatewayContext, type GatewayContext } from './context';
import { requestRefusal, type DocumentLimits } from './document-limits';
import { namesPersistedQuery } from './persisted-queries';
import { requestedInBody, type DocumentTrust } from './trusted-documents';

/** An operation as a transport received it: the fields of a GraphQL POST body, unchecked. */
export interface OperationRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** Who sent it, as its transport established. */
export interface OperationOrigin {
  caller: Caller;
  /** The client's address, for an anonymous caller's budget. */
  address: string;
  requestId: string;
}

/** Refused before it ran (over HTTP, a 4xx answer with only errors), or its result, as a POST's body would carry it. */
export type OperationOutcome = { refused: readonly GraphQLFormattedError[] } | { result: FormattedExecutionResult };

export type RunOperation = (request: OperationRequest, origin: OperationOrigin) => Promise<OperationOutcome>;

export interface OperationRunnerOptions {
  apollo: ApolloServer<GatewayContext>;
  limits: DocumentLimits;
  /** Counts one request against the caller's budget, as for a POST: the refusal once the budget is spent, else null. */
  admit(caller: Caller, address: string): Promise<GraphQLError | null>;
  /** Whether the document is trusted; throws where the caller may send only trusted ones (see trusted-documents). */
  trust?: DocumentTrust;
}

export function operationRunner(options: OperationRunnerOptions): RunOperation {
  return (request, origin) =>
    requestScope.run({ requestId: origin.requestId }, () => inRequestSpan('ws.operation', {}, () => run(options, request, origin)));
}

async function run(options: OperationRunnerOptions, request: OperationRequest, origin: OperationOrigin): Promise<OperationOutcome> {
  const overBudget = await options.admit(origin.caller, origin.address);
  if (overBudget) return { refused: [formatted(overBudget)] };
  const malformed = malformedField(request);
  if (malformed) return { refused: [{ message: `\`${malformed}\` has the wrong type.`, extensions: { code: GatewayErrorCode.BAD_REQUEST } }] };
  let trusted: boolean;
  try {
    trusted = options.trust?.(origin.caller, requestedInBody(request)) ?? false;
  } catch (error) {
    if (error instanceof GraphQLError) return { refused: [formatted(error)] };
    throw error;
  }
  const overLimits = requestRefusal(request, options.limits);
  if (overLimits) return { refused: [formatted(overLimits)] };
  // As over HTTP: a persisted query's hash names the text as sent.
  const rewritten = namesPersistedQuery(request) ? null : normaliseBody(request);
  const response = await options.apollo.executeOperation(graphQLRequest((rewritten?.body ?? request) as OperationRequest), {
    contextValue: gatewayContext(origin.caller, rewritten?.normalised, trusted),
  });
  // Answers in parts (@defer) need an HTTP request's accept header: without one the engine refuses them, whole.
  if (response.body.kind !== 'single') throw new Error('An answer in parts to an operation outside HTTP');
  const result = response.body.singleResult;
  if ((response.http.status ?? 200) >= 400 && !('data' in result) && result.errors) return { refused: result.errors };
  return { result };
}

/** The request's fields, once their types are checked; null stands for absent. */
function graphQLRequest(request: OperationRequest): GraphQLRequest {
  return {
    ...(typeof request.query === 'string' ? { query: request.query } : {}),
    ...(request.variables ? { variables: request.variables as Record<string, unknown> } : {}),
    ...(typeof request.operationName === 'string' ? { operationName: request.operationName } : {}),
    ...(request.extensions ? { extensions: request.extensions as Record<string, unknown> } : {}),
  };
}

/** The field Apollo Server would refuse as BAD_REQUEST for its type, if any. */
export function malformedField(request: OperationRequest): string | null {
  if (request.query !== undefined && typeof request.query !== 'string') return 'query';
  if (request.variables != null && !isRecord(request.variables)) return 'variables';
  if (request.operationName != null && typeof request.operationName !== 'string') return 'operationName';
  if (request.extensions != null && !isRecord(request.extensions)) return 'extensions';
  return null;
}

/** A refusal as a response carries it: its code and details, without the HTTP status meant for Apollo Server. */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions;
  return { message: error.message, extensions };
}
