// A subgraph's operations it has run before, answered without Apollo
// Server's request pipeline. The gateway's query planner sends each subgraph
// the same few texts over and over with new variables; Apollo Server hashes
// each text, looks it up, negotiates and awaits some forty plugin hooks per
// request, about a third of what a small subgraph request costs. An operation
// is remembered once Apollo Server has parsed, validated and resolved it
// (every validation rule it applies, introspection's included); a repeat runs
// the operation compiled by graphql-jit and does only what the plugins do per
// request: the cache policy from the operation's text, the fact changes in
// the answer's extensions, error masking. Anything else (a text not seen, a
// persisted query, a policy only resolving tells, variables that do not fit)
// is left to Apollo Server, so the answer is Apollo Server's wherever this
// path has none.
//
// The planner names each subgraph operation after the client's
// (`MerchantPage__merchants__1`), so clients that ask the same thing under
// different names send texts that differ only there. A single operation's
// name changes neither its validity nor its result, so such texts share one
// entry: the operation compiled, and optimised by V8, under one name answers
// the others from their first request (the gateway's warm-up reaches every
// client's operations of the same shape).
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { execute, GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { apolloAnswer, cacheControlHeader, formatErrorAsApollo, newCachePolicy, singleResultContentType, type FormatError } from './apollo-answer';
import { policyByText } from './cache-policy';
import { FACTS_CHANGED_EXTENSION } from './events/facts-in-answer';
import type { AnswerDirectly } from './http';
import { isRecord } from './json';
import { requestScope } from './request-scope';

interface KnownOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation compiled by graphql-jit at its first direct run; null when it cannot be (graphql-js runs it then). */
  compiled?: CompiledQuery | null;
}

/**
 * Operations kept, counted and by their texts' length, the oldest forgotten
 * past either: the planner sends a subgraph a few dozen distinct operations,
 * a few kilobytes each. A document takes about ten times its text's size in
 * memory, and its compiled code tens of kilobytes, whatever the text's size.
 */
const KEPT_OPERATIONS = 500;
const KEPT_TEXT_CHARS = 2 * 1024 * 1024;
/** A text longer than this is not kept: it would push out every other. */
const LONGEST_KEPT_TEXT = KEPT_TEXT_CHARS / 16;

export interface SubgraphDirectAnswers<TContext extends BaseContext> {
  /** Remembers every operation Apollo Server resolved, and the schema it ran on. */
  plugin: ApolloServerPlugin<TContext>;
  answer: AnswerDirectly<TContext>;
}

export function subgraphDirectAnswers<TContext extends BaseContext>(formatError: FormatError): SubgraphDirectAnswers<TContext> {
  let schema: GraphQLSchema | undefined;
  const known = new Map<string, KnownOperation>();
  let keptChars = 0;
  const remember = (key: string, operation: KnownOperation) => {
    if (known.has(key) || key.length > LONGEST_KEPT_TEXT) return;
    for (const oldest of known.keys()) {
      if (keptChars + key.length <= KEPT_TEXT_CHARS && known.size < KEPT_OPERATIONS) break;
      known.delete(oldest);
      keptChars -= oldest.length;
    }
    known.set(key, operation);
    keptChars += key.length;
  };

  const plugin: ApolloServerPlugin<TContext> = {
    async serverWillStart(service) {
      schema = service.schema;
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (typeof request.query !== 'string' || !operation) return;
          const operationName = request.operationName ?? undefined;
          // Another name could make a document of several operations invalid (two of one name): only one alone is kept without it.
          const alone = document.definitions.filter((definition) => definition.kind === 'OperationDefinition').length === 1;
          remember((alone && unnamedKey(request.query, operationName)) || namedKey(request.query, operationName), { document, operation });
        },
      };
    },
  };

  const answer: AnswerDirectly<TContext> = async (req, body, contextValue) => {
    const request = plainRequest(body);
    if (!request || req.method !== 'POST' || !schema) return null;
    const unnamed = unnamedKey(request.query, request.operationName);
    const operation = (unnamed && known.get(unnamed)) || known.get(namedKey(request.query, request.operationName));
    const contentType = singleResultContentType(req.headers.accept);
    if (!operation || !contentType) return null;
    const hint = policyByText(schema, operation.document, operation.operation, request.variables);
    if (!hint) return null;
    let status = 200;
    const headers = new Map<string, string>([['content-type', contentType]]);
    let result: Result;
    try {
      result = await run(schema, operation, request, contextValue);
    } catch (error) {
      // As Apollo Server answers an executor that throws.
      result = { errors: [error instanceof GraphQLError ? error : new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error as Error })] };
      status = 500;
    }
    // No data at all: the variables did not fit, and nothing ran. Apollo Server answers that (400, BAD_USER_INPUT).
    if (status === 200 && !('data' in result)) return null;
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) {
      errors = result.errors.map((error) =>
        formatErrorAsApollo(error, formatError, (http) => {
          if (http.status) status = http.status;
          for (const [name, value] of http.headers ?? []) headers.set(name, value);
        }),
      );
    }
    const policy = newCachePolicy();
    policy.restrict(hint);
    headers.set('cache-control', cacheControlHeader(policy, errors !== undefined));
    const changed = requestScope.getStore()?.factsChanged;
    const extensions = changed?.length ? { [FACTS_CHANGED_EXTENSION]: [...changed] } : undefined;
    return apolloAnswer(status, headers, { ...(errors ? { errors } : {}), data: result.data, ...(extensions ? { extensions } : {}) });
  };

  return { plugin, answer };
}

type Result = Awaited<ReturnType<typeof execute>>;

/** Begins the key of a text whose operation's name was taken out: no name holds `*`. */
const UNNAMED = '*\n';
const NAMED_OPERATION = /^(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** What a text is kept by, with the operation the request names. */
const namedKey = (query: string, operationName: string | undefined) => `${operationName ?? ''}\n${query}`;

/**
 * What a text that starts with the operation the request names (or names
 * none) is kept by without that name, when its document holds that operation
 * alone; null for any other text.
 */
function unnamedKey(query: string, operationName: string | undefined): string | null {
  const named = NAMED_OPERATION.exec(query);
  return named && (operationName === undefined || operationName === named[2]) ? `${UNNAMED}${named[1]}${query.slice(named[0].length)}` : null;
}

/**
 * Runs the operation compiled by graphql-jit, compiling it at its first run
 * (the same semantics as graphql-js's execute, with the per-field work done
 * once in generated code); an operation it cannot compile runs on graphql-js.
 */
async function run(schema: GraphQLSchema, operation: KnownOperation, request: PlainRequest, contextValue: unknown): Promise<Result> {
  // The kept document's own name: the request's may be another (see unnamedKey).
  const operationName = operation.operation.name?.value;
  if (operation.compiled === undefined) {
    const compiled = compileQuery(schema, operation.document, operationName);
    operation.compiled = isCompiledQuery(compiled) ? compiled : null;
  }
  if (operation.compiled) return (await operation.compiled.query(undefined, contextValue, request.variables ?? {})) as Result;
  return execute({ schema, document: operation.document, operationName, variableValues: request.variables, contextValue });
}

interface PlainRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

/** A body this path answers: a text, maybe an operation name and variables, no extensions (a persisted query is Apollo Server's). */
function plainRequest(body: Readonly<Record<string, unknown>>): PlainRequest | null {
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== 'string' || extensions != null) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (variables != null && !isRecord(variables)) return null;
  return { query, operationName: operationName ?? undefined, variables: variables ?? undefined };
}
