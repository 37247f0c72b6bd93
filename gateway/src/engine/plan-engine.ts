// The gateway's executor. @apollo/gateway loads the supergraph and plans each
// operation; running the plan is ours. Everything that follows from the
// (operation, plan) pair — the plan's fetches with their bodies half
// serialised, how representations are picked, the response's shape — is
// prepared once and kept in the plan cache, so a request only sends, merges
// and shapes. Operations the engine does not run (subscriptions,
// introspection, plan features it does not know) go to @apollo/gateway's own
// executor, unchanged.
import type { ApolloGateway } from '@apollo/gateway';
import type { QueryPlan, QueryPlanner, PlanNode, SubscriptionNode } from '@apollo/query-planner';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { CachePolicy, CacheHint } from '@apollo/cache-control-types';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface, GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLFormattedError, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { injectTraceContext, inSpan, type Logger } from '@interop/kit';
import { canSendLater, sendLater } from '@interop/kit/server';
import { identityClaims } from '@interop/kit/security';
import { factsChangedIn } from '@interop/kit/events';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { GatewayContext } from '../context';
import type { FactsHeard } from '../facts-heard';
import type { GatewayMetrics } from '../metrics';
import { PlanCache } from '../plan-cache';
import { KnownOperations, type KnownOperation } from './known-operations';
import { fetchFailureError, SubgraphFetchError, unavailableStatusError, type SubgraphReply, type SubgraphTransport } from '../subgraph-transport';
import { acceptsDefer, compileDefer, Deferral, deferNotAccepted, defersApply, labelDefers, UnsupportedDefer, withDeferDirective, type DeferredDocument } from './defer';
import { compileFetch, TypeTests, type FetchProgram } from './fetch-program';
import { runNode, type PlanRun, type ProgramNode, type SubgraphAnswer } from './run-plan';
import { shapeData, ShapeCompiler, type Path, type SelectionShape, type ShapeErrors } from './shape';

/** What the engine reads of @apollo/gateway once it has loaded a supergraph (fields it keeps to itself). */
interface LoadedGateway {
  queryPlanner: QueryPlanner;
  /** The API schema, as the planner takes operations. */
  apiSchema: Schema;
  /** The API schema, as graphql-js knows it. */
  schema: GraphQLSchema;
  /** The supergraph, for type conditions the plan names (types the API schema may hide). */
  supergraphSchema: GraphQLSchema;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
}

interface Prepared {
  program: ProgramNode | null;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  rootType: GraphQLObjectType;
  /** The variables @skip, @include and @defer read, whose values choose the shape. */
  conditionVariables: string[];
  /** The operation's deferred fragments, when it has any. */
  deferred: DeferredDocument | null;
  /** The shape under each set of condition values seen so far, by their signature. */
  shapes: Map<string, SelectionShape>;
  size: number;
}

type Entry = Prepared | { fallback: true; size: number };

/** Shapes kept per operation, one per set of @skip/@include values; more are shaped without keeping. */
const MAX_SHAPES = 16;

/** What the engine does with an answer's cache policy (Apollo Server's, or the direct path's). */
export type CachePolicyLike = Pick<CachePolicy, 'restrict'>;

export type { KnownOperation } from './known-operations';

export interface PlanEngineOptions {
  transports: ReadonlyMap<string, SubgraphTransport>;
  metrics: GatewayMetrics;
  facts?: FactsHeard;
  logger: Logger;
  /** Apollo Server's formatError: what the parts of an answer after the first go through too. */
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

export class PlanEngine implements GatewayInterface {
  private stock: GatewayExecutor | null = null;
  private loaded: LoadedGateway | null = null;
  private types: TypeTests | null = null;
  private readonly cache: PlanCache<Entry>;
  private readonly known = new KnownOperations();

  constructor(
    private readonly gateway: ApolloGateway,
    private readonly options: PlanEngineOptions,
  ) {
    this.cache = new PlanCache<Entry>(options.metrics, (entry) => entry.size);
    gateway.onSchemaLoadOrUpdate(() => {
      this.loaded = gateway as unknown as LoadedGateway;
      this.types = new TypeTests(this.loaded.supergraphSchema);
      this.cache.clear();
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]) {
    const { schema, executor } = await this.gateway.load(options);
    this.stock = executor;
    return { schema, executor: (context: GatewayGraphQLRequestContext) => this.execute(context) };
  }

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]) {
    // Apollo Server validates against this schema: with @defer, as the planner runs it.
    return this.gateway.onSchemaLoadOrUpdate((schema) => {
      const apiSchema = withDeferDirective(schema.apiSchema);
      this.known.reset(apiSchema);
      callback({ ...schema, apiSchema });
    });
  }

  stop(): Promise<void> {
    return this.gateway.stop();
  }

  /** In a span named as @apollo/gateway names its own, so traces read the same whichever executor ran. */
  private execute(request: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    return inSpan('gateway.request', {}, () => this.executeInSpan(request));
  }

  private async executeInSpan(request: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const loaded = this.loaded;
    if (!loaded || !this.stock) throw new Error('The gateway has not loaded a supergraph');
    const key = request.request.operationName ? `${request.queryHash}\n${request.request.operationName}` : request.queryHash;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.prepare(request, loaded);
      this.cache.set(key, entry);
    }
    if ('fallback' in entry) return this.stock(request);
    const coerced = coerceVariables(entry, request.request.variables, loaded);
    if (!coerced.ok) return { errors: coerced.errors };
    const values = coerced.values;
    const inParts = entry.deferred !== null && defersApply(entry.deferred, values);
    if (inParts && !(acceptsDefer(request.request.http?.headers.get('accept')) && canSendLater())) return { errors: [deferNotAccepted()] };
    if (!entry.deferred && request.source !== undefined) this.known.remember(request.source, request.request.operationName, { key, queryHash: request.queryHash, document: request.document, operation: request.operation }, request.schema);
    return this.run(entry, values, request.context as GatewayContext, request.overallCachePolicy, inParts);
  }

  /**
   * The operation `source` names (with `operationName`), when it has run here
   * before under the loaded supergraph, so a repeat can skip Apollo Server's
   * parsing, validation and plugins: only operations the engine runs whole,
   * without @defer.
   */
  knownOperation(source: string, operationName: string | undefined): KnownOperation | null {
    return this.known.find(source, operationName);
  }

  /**
   * Runs a known operation with the request's variables, as its first run did
   * through Apollo Server; null when its plan has left the cache or the
   * variables do not fit, for Apollo Server to answer (and prepare) instead.
   */
  runKnown(known: KnownOperation, variables: Record<string, unknown> | undefined, context: GatewayContext, policy: CachePolicyLike): Promise<GatewayExecutionResult> | null {
    const loaded = this.loaded;
    const entry = loaded && this.cache.get(known.key);
    if (!entry || 'fallback' in entry) return null;
    const coerced = coerceVariables(entry, variables, loaded);
    if (!coerced.ok) return null;
    return inSpan('gateway.request', {}, () => this.run(entry, coerced.values, context, policy, false));
  }

  private async run(entry: Prepared, values: Record<string, unknown>, context: GatewayContext, policy: CachePolicyLike | undefined, inParts: boolean): Promise<GatewayExecutionResult> {
    const loaded = this.loaded!;
    const shape = this.shapeFor(entry, values, loaded);
    const call = this.caller(context, policy);
    const deferral = inParts ? this.deferral(entry.deferred!, shape, values, call) : null;
    const run: PlanRun = deferral ? deferral.runFor() : { variables: values, errors: [], failedPaths: [], call };
    const data: Record<string, unknown> = {};
    if (entry.program) await runNode(entry.program, data, run);
    const { errors } = run;
    const shaped = shapeData(shape, entry.rootType.name, data, shapeErrors(errors, run.failedPaths));
    if (deferral?.inParts) {
      sendLater(deferral.payloads(shaped));
      // An answer in parts is never a cached answer: the first part is not the whole.
      policy?.restrict({ maxAge: 0 });
    }
    return errors.length ? { errors, data: shaped } : { data: shaped };
  }

  private deferral(deferred: DeferredDocument, root: SelectionShape, variables: Record<string, unknown>, call: PlanRun['call']): Deferral {
    const { logger } = this.options;
    const formatError = this.options.formatError ?? ((formatted: GraphQLFormattedError) => formatted);
    return new Deferral({ variables, call, deferred, root, types: this.types!, shapeErrors, formatError, logger });
  }

  /** Plans and prepares an operation, or marks it for @apollo/gateway's executor. */
  private prepare(request: GatewayGraphQLRequestContext, loaded: LoadedGateway): Entry {
    const scan = scanDocument(request.document);
    let deferred: DeferredDocument | null;
    try {
      deferred = scan.introspection ? null : labelDefers(request.document, loaded.schema);
    } catch (error) {
      if (!(error instanceof UnsupportedDefer)) throw error;
      this.options.logger.debug({ reason: error.message }, 'plan runs on @apollo/gateway');
      return { fallback: true, size: 64 };
    }
    // With @defer, the operation planned and shaped is the one with every @defer labelled.
    const document = deferred?.document ?? request.document;
    const operation = deferred ? (document.definitions[request.document.definitions.indexOf(request.operation)] as OperationDefinitionNode) : request.operation;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    const rootType = operation.operation === 'query' ? loaded.schema.getQueryType() : operation.operation === 'mutation' ? loaded.schema.getMutationType() : null;
    if (!rootType || scan.introspection || scan.reservedAlias) return { fallback: true, size: 64 };
    const plan: QueryPlan = loaded.queryPlanner.buildQueryPlan(operationFromDocument(loaded.apiSchema, document, request.request.operationName ? { operationName: request.request.operationName } : {}), {
      recursiveSelectionsLimitDisabled: loaded.recursiveSelectionsLimitDisabled,
      nonLocalSelectionsLimitDisabled: loaded.nonLocalSelectionsLimitDisabled,
    });
    const types = this.types!;
    let program: ProgramNode | null;
    try {
      program = plan.node ? compileNode(plan.node, types) : null;
    } catch (error) {
      if (!(error instanceof UnsupportedPlan) && !(error instanceof UnsupportedDefer)) throw error;
      this.options.logger.debug({ reason: error.message }, 'plan runs on @apollo/gateway');
      return { fallback: true, size: 64 };
    }
    // The plan's JSON stands for everything kept: the fetches' text dominates, and shapes grow with the operation.
    const size = 2 * Buffer.byteLength(JSON.stringify(plan.node ?? null)) + 4 * (request.source?.length ?? 0);
    const conditionVariables = deferred ? [...new Set([...scan.conditionVariables, ...deferred.conditionVariables])] : scan.conditionVariables;
    return { program, operation, fragments, rootType, conditionVariables, deferred, shapes: new Map(), size };
  }

  private shapeFor(entry: Prepared, values: Record<string, unknown>, loaded: LoadedGateway): SelectionShape {
    const conditions: Record<string, unknown> = {};
    let signature = '';
    for (const name of entry.conditionVariables) {
      conditions[name] = values[name];
      signature += values[name] === true ? '1' : '0';
    }
    let shape = entry.shapes.get(signature);
    if (!shape) {
      shape = new ShapeCompiler(loaded.schema, entry.fragments, conditions).root(entry.rootType, entry.operation.selectionSet);
      if (entry.shapes.size < MAX_SHAPES) entry.shapes.set(signature, shape);
    }
    return shape;
  }

  /** How this request calls a subgraph: its identity and trace context, our errors for failures, its facts heard. */
  private caller(context: GatewayContext, policy: CachePolicyLike | undefined): PlanRun['call'] {
    const claims = new Map<string, string>();
    // The caller without the claims' expiry: identical reads in flight are shared across a second's boundary.
    const { partnerId, scopes, credentialId } = context.caller;
    const sharedBy = JSON.stringify([partnerId, scopes, credentialId]);
    // Each fetch in its own span, whose context the subgraph request carries.
    return (fetch: FetchProgram, variablesJson: string): Promise<SubgraphAnswer> =>
      inSpan('gateway.fetch', { service: fetch.serviceName }, async () => {
        const transport = this.options.transports.get(fetch.serviceName);
        if (!transport) throw new Error(`No subgraph is named ${fetch.serviceName}`);
        let sealed = claims.get(fetch.serviceName);
        if (sealed === undefined) {
          sealed = identityClaims(context.caller, fetch.serviceName);
          claims.set(fetch.serviceName, sealed);
        }
        const headers = injectTraceContext(context.requestId ? { 'x-request-id': context.requestId } : {});
        let reply: SubgraphReply;
        try {
          reply = await transport.send({ body: fetch.bodyStart + variablesJson + fetch.bodyEnd, headers, claims: sealed, sharedBy, write: fetch.write });
        } catch (error) {
          throw fetchFailure(fetch.serviceName, error);
        }
        if (reply.status < 200 || reply.status >= 300) throw statusFailure(fetch.serviceName, reply.status);
        const answer = JSON.parse(reply.body) as SubgraphAnswer;
        if (typeof answer !== 'object' || answer === null) throw new Error(`${fetch.serviceName} answered something other than a JSON object`);
        if (this.options.facts) for (const change of factsChangedIn(answer.extensions)) this.options.facts.heard(change);
        policy?.restrict(cacheHint(reply.headers['cache-control']));
        return answer;
        });
  }
}

class UnsupportedPlan extends Error {}

function compileNode(node: PlanNode | SubscriptionNode, types: TypeTests): ProgramNode {
  switch (node.kind) {
    case 'Fetch':
      if (node.contextRewrites?.length) throw new UnsupportedPlan('context rewrites');
      return { kind: 'Fetch', fetch: compileFetch(node, types), ...(node.id !== undefined ? { id: node.id } : {}) };
    case 'Flatten':
      if (node.node.kind !== 'Fetch' || node.node.contextRewrites?.length) throw new UnsupportedPlan(`a Flatten over ${node.node.kind}`);
      if (node.path.some((element) => typeof element !== 'string' || element.includes('|'))) throw new UnsupportedPlan('a type-conditioned path');
      return { kind: 'Flatten', path: node.path as string[], fetch: compileFetch(node.node, types), ...(node.node.id !== undefined ? { id: node.node.id } : {}) };
    case 'Sequence':
    case 'Parallel':
      return { kind: node.kind, nodes: node.nodes.map((child) => compileNode(child, types)) };
    case 'Condition':
      return {
        kind: 'Condition',
        variable: node.condition,
        ...(node.ifClause ? { ifClause: compileNode(node.ifClause, types) } : {}),
        ...(node.elseClause ? { elseClause: compileNode(node.elseClause, types) } : {}),
      };
    case 'Defer':
      return compileDefer(node, (child) => compileNode(child, types));
    default:
      throw new UnsupportedPlan(node.kind);
  }
}

/** What the engine must know of a document before running it, read in one pass. */
function scanDocument(document: DocumentNode): { introspection: boolean; reservedAlias: boolean; conditionVariables: string[] } {
  let introspection = false;
  let reservedAlias = false;
  const conditionVariables = new Set<string>();
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') introspection = true;
      // A response name such as __proto__ would be a property of every object, not data.
      if (node.alias?.value.startsWith('__')) reservedAlias = true;
    },
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) conditionVariables.add(argument.value.name.value);
    },
  });
  return { introspection, reservedAlias, conditionVariables: [...conditionVariables] };
}

/** The request's variables as the operation declares them, or the errors refusing them. */
function coerceVariables(
  entry: Prepared,
  variables: Record<string, unknown> | undefined,
  loaded: LoadedGateway,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: readonly GraphQLError[] } {
  const definitions = entry.operation.variableDefinitions ?? [];
  if (!definitions.length) return { ok: true, values: {} };
  const coerced = getVariableValues(loaded.schema, definitions, variables ?? {});
  return coerced.errors ? { ok: false, errors: coerced.errors } : { ok: true, values: coerced.coerced };
}

/** Null-field errors are added only where no earlier error explains the null. */
function shapeErrors(errors: GraphQLError[], failedPaths: (readonly string[])[]): ShapeErrors {
  const within = (prefix: readonly (string | number)[], path: Path) =>
    prefix.length <= path.length && prefix.every((element, i) => element === path[i] || (element === '@' && typeof path[i] === 'number'));
  return {
    explained: (path) => failedPaths.some((failed) => within(failed, path)) || errors.some((error) => error.path !== undefined && within(error.path, path)),
    add: (error) => errors.push(error),
  };
}

function fetchFailure(subgraph: string, error: unknown): GraphQLError {
  if (error instanceof SubgraphFetchError) return fetchFailureError(error);
  return new GraphQLError(`The ${subgraph} subgraph could not be reached.`, { originalError: error as Error });
}

function statusFailure(subgraph: string, status: number): GraphQLError {
  if (status >= 500) return unavailableStatusError(subgraph, status);
  const code = status === 401 ? GatewayErrorCode.UNAUTHENTICATED : status === 403 ? GatewayErrorCode.FORBIDDEN : undefined;
  return new GraphQLError(`The ${subgraph} subgraph answered ${status}.`, { extensions: { ...(code ? { code } : {}), subgraph, status } });
}

/** A subgraph's Cache-Control as an Apollo cache hint, read as @apollo/gateway reads it. */
function cacheHint(header: string | string[] | undefined): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  const value = Array.isArray(header) ? header.join(',') : header;
  for (const part of value ? value.trim().split(/\s*,\s*/) : []) {
    const [name, raw] = part.split(/\s*=\s*/, 2);
    if (name === 'max-age' && raw && /^[0-9]+$/.test(raw.replace(/^"|"$/g, ''))) hint.maxAge = Number(raw.replace(/^"|"$/g, ''));
    else if (name === 'private' && raw === undefined) hint.scope = 'PRIVATE';
    else if (name === 'public' && raw === undefined) hint.scope = 'PUBLIC';
  }
  return hint;
}
