// Limits that keep one request from taking the graph down: depth, aliases,
// root fields and an estimated cost, checked after parsing and validation and
// before anything is planned or any subgraph is called. (Tokens, fragments
// and bracket nesting are checked on the text, before parsing: see
// document-limits.)
//
// The measure takes time in proportion to the document, however its fragments
// spread one another: each fragment is measured once (per kind of place it is
// spread in) and its measure reused at every spread, without recursion, and
// the walk stops at the first limit passed.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isIntrospectionType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { GatewayErrorCode } from './__generated__/error-codes';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  /** Estimated fields resolved: each field counts once per item of the lists above it. */
  maxCost: number;
  /** Lexical tokens in the text (names, punctuation, values; comments do not count). */
  maxTokens: number;
  /** Fragment definitions in the text. */
  maxFragments: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 50,
  maxRootFields: 30,
  maxCost: 100_000,
  maxTokens: 5_000,
  maxFragments: 100,
};

/** Items assumed for a list field whose size no `first` argument bounds. */
const ASSUMED_LIST_SIZE = 10;

/** What a selection set adds up to, for one instance of its parent at depth 0. */
interface Measure {
  /** The deepest field, counted from 1 for the set's own fields; 0 when it has none. */
  depth: number;
  aliases: number;
  cost: number;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

class LimitExceeded extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

function refusal(code: GatewayErrorCode, message: string, extensions: Record<string, number>): LimitExceeded {
  return new LimitExceeded(new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } }));
}

function field(parent: GraphQLNamedType, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (parent === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** A selection set still to walk, and where it sits relative to the set being measured. */
interface Pending {
  selectionSet: SelectionSetNode;
  parent: GraphQLNamedType;
  depth: number;
  times: number;
  inConnection: boolean;
}

/**
 * The operation's measure, or the error refusing it. Validation has run, but
 * nothing here relies on it: a spread of an unknown fragment counts nothing and
 * a cycle of spreads is not followed round.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: { definitions: readonly { kind: Kind }[] },
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments.set(fragment.name.value, fragment);
    }
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return null;

  // Depth and aliases stop the walk as soon as they are passed (a fragment's own measure is a lower bound of
  // every use of it); the cost is compared once the walk is done, so an operation too deep and too
  // expensive is refused as too deep, whatever the order of its fields.
  const check = (measure: Measure) => {
    const { depth, aliases } = measure;
    if (depth > limits.maxDepth) throw refusal(GatewayErrorCode.OPERATION_TOO_DEEP, 'The operation is nested too deeply.', { depth, limit: limits.maxDepth });
    if (aliases > limits.maxAliases) throw refusal(GatewayErrorCode.TOO_MANY_ALIASES, 'The operation uses too many aliases.', { aliases, limit: limits.maxAliases });
  };

  /** How many times the children of this field are resolved per instance of it; at least once, as the plan still holds them. */
  const multiplier = (definition: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const first = definition.args.find((arg) => arg.name === 'first');
    if (first) {
      const given = node.arguments?.find((arg) => arg.name.value === 'first');
      const value = given ? valueFromAST(given.value, first.type, variables) : first.defaultValue;
      if (typeof value === 'number' && value >= 0) return Math.max(1, value);
    }
    return isList(definition.type) ? ASSUMED_LIST_SIZE : 1;
  };

  // Fragment measures by name and by whether the fragment is spread directly in a connection.
  const measured = new Map<string, Measure>();
  const keyOf = (name: string, inConnection: boolean) => `${inConnection ? 'c' : 'f'}:${name}`;
  const inProgress = new Set<string>();

  /**
   * Walks one selection set (nested sets included, fragments by their measure):
   * its measure, or the fragments it spreads that are not measured yet.
   */
  const walk = (start: Omit<Pending, 'depth' | 'times'>): Measure | string[] => {
    const measure: Measure = { depth: 0, aliases: 0, cost: 0 };
    const missing: string[] = [];
    const stack: Pending[] = [{ ...start, depth: 1, times: 1 }];
    for (let pending = stack.pop(); pending; pending = stack.pop()) {
      const { parent, depth, times, inConnection } = pending;
      for (const selection of pending.selectionSet.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const name = selection.name.value;
          const key = keyOf(name, inConnection);
          const fragment = measured.get(key);
          if (fragment) {
            measure.aliases += fragment.aliases;
            // A fragment that costs nothing costs nothing however often (and Infinity × 0 is NaN).
            if (fragment.cost > 0) measure.cost += fragment.cost * times;
            if (fragment.depth > 0) measure.depth = Math.max(measure.depth, depth - 1 + fragment.depth);
            check(measure);
          } else if (fragments.has(name) && !inProgress.has(key)) {
            missing.push(key);
          }
          continue;
        }
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (type) stack.push({ ...pending, selectionSet: selection.selectionSet, parent: type });
          continue;
        }
        if (selection.alias) measure.aliases += 1;
        const name = selection.name.value;
        const definition = field(parent, name, schema);
        if (!definition) continue;
        // Introspection resolves within the schema, which bounds it: its fields count once and add no depth
        // (the standard introspection query is deeper than maxDepth).
        const introspection = isIntrospectionType(parent) || definition === SchemaMetaFieldDef || definition === TypeMetaFieldDef;
        if (!introspection) measure.depth = Math.max(measure.depth, depth);
        measure.cost += times;
        check(measure);
        if (!selection.selectionSet) continue;
        // A connection's `first` already counts its edges: the edges list itself does not multiply again.
        const edgesOfConnection = inConnection && (name === 'edges' || name === 'nodes');
        const factor = edgesOfConnection || introspection ? 1 : multiplier(definition, selection);
        const isConnection = !introspection && !isList(definition.type) && definition.args.some((arg) => arg.name === 'first');
        stack.push({
          selectionSet: selection.selectionSet,
          parent: getNamedType(definition.type),
          depth: depth + 1,
          times: times * factor,
          inConnection: isConnection,
        });
      }
    }
    return missing.length > 0 ? missing : measure;
  };

  /** Measures the fragment under `key` and every fragment it needs first, deepest first, without recursion. */
  const measureFragment = (key: string) => {
    const queue = [key];
    while (queue.length > 0) {
      const current = queue.at(-1)!;
      if (measured.has(current)) {
        queue.pop();
        continue;
      }
      const fragment = fragments.get(current.slice(2))!;
      const type = schema.getType(fragment.typeCondition.name.value);
      inProgress.add(current);
      const result = type
        ? walk({ selectionSet: fragment.selectionSet, parent: type, inConnection: current.startsWith('c:') })
        : { depth: 0, aliases: 0, cost: 0 };
      if (Array.isArray(result)) {
        // Measured on top of the queue, even those already lower in it; this fragment is walked again after them.
        queue.push(...result);
        continue;
      }
      check(result);
      measured.set(current, result);
      inProgress.delete(current);
      queue.pop();
    }
  };

  try {
    const start = { selectionSet: operation.selectionSet, parent: root, inConnection: false };
    let result = walk(start);
    while (Array.isArray(result)) {
      for (const key of result) measureFragment(key);
      result = walk(start);
    }
    const rootFields = operation.selectionSet.selections.length;
    if (rootFields > limits.maxRootFields) {
      throw refusal(GatewayErrorCode.TOO_MANY_ROOT_FIELDS, 'The operation asks for too many root fields.', { rootFields, limit: limits.maxRootFields });
    }
    if (result.cost > limits.maxCost) {
      // Fragments spreading one another can make it too large for JSON.
      const cost = Math.min(result.cost, Number.MAX_SAFE_INTEGER);
      throw refusal(GatewayErrorCode.OPERATION_TOO_EXPENSIVE, 'The operation would resolve too many fields.', { cost, limit: limits.maxCost });
    }
  } catch (error) {
    if (error instanceof LimitExceeded) return error.error;
    throw error;
  }
  return null;
}

/** Verdicts kept per document for different values of the variables the measure read; past this, the oldest go. */
const VERDICTS_PER_DOCUMENT = 64;

interface Verdicts {
  /** The variables the measure read (list sizes given as variables); only their values can change the verdict. */
  reads: string[];
  byValues: Map<string, GraphQLError | null>;
}

/**
 * The measure depends on the document, the operation and the values of the
 * variables it reads (a `first: $n`), nothing else: its verdict is kept per
 * parsed document (Apollo's document store hands the same one to every
 * request with the same text) and those values, so a repeated operation is
 * measured once whatever else its variables say.
 */
export type LimitsVerdict = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => GraphQLError | null;

export function limitsVerdicts(limits: OperationLimits): LimitsVerdict {
  const kept = new WeakMap<DocumentNode, Map<string, Verdicts>>();
  return (schema, document, operation, variables) => {
    let byOperation = kept.get(document);
    if (!byOperation) kept.set(document, (byOperation = new Map()));
    const name = operation.name?.value ?? '';
    const known = byOperation.get(name);
    const keyOf = (entry: Verdicts) => JSON.stringify(entry.reads.map((read) => variables[read] ?? null));
    const key = known && keyOf(known);
    if (key !== undefined && known!.byValues.has(key)) return known!.byValues.get(key)!;
    const reads = new Set<string>();
    const watched = new Proxy(variables, {
      get: (target, property, receiver) => {
        if (typeof property === 'string') reads.add(property);
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const refused = measureOperation(schema, document, operation, watched, limits);
    // A measure that passed walked everything and read every variable that counts; one refused may
    // have stopped before some, so only a passing measure says which variables key the verdicts.
    const entry = known ?? (refused ? null : { reads: [...reads], byValues: new Map<string, GraphQLError | null>() });
    if (!entry) return refused;
    if (!known) byOperation.set(name, entry);
    if (entry.byValues.size >= VERDICTS_PER_DOCUMENT) entry.byValues.delete(entry.byValues.keys().next().value!);
    entry.byValues.set(key ?? keyOf(entry), refused);
    return refused;
  };
}

/** Refuses, before planning, an operation over the limits, with the verdict shared with the direct path. */
export function operationLimitsPlugin(verdict: LimitsVerdict): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const refused = verdict(schema, document, operation, request.variables ?? {});
          if (refused) throw refused;
        },
      };
    },
  };
}
