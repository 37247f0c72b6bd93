// A subgraph answer's cache policy (its Cache-Control header, which the
// gateway's response cache reads), worked out once per operation from the
// schema's @cacheControl hints instead of field by field as each resolver
// runs. Apollo's cache-control plugin hooks every resolved field (a wrapper,
// a policy object and a promise watch each); on a page of storefronts that is
// a tenth of a subgraph's CPU.
//
// The answer is Apollo's, exactly. Its policy is the strictest of the fields
// that resolved: the root fields always resolve, and `_entities` restricts its
// own by the type of every representation it is sent (@apollo/subgraph does
// this), which the request's variables name. The fields below the root
// resolve only under parents that are not null, so they are known only as a
// bound: when no field below could make the policy stricter than the root
// fields already do, the root fields decide it, with no per-field work. An
// operation where one could (a shorter hint nested under a nullable field)
// runs Apollo's per-field plugin, unchanged. Hints come from the schema only:
// a resolver of a subgraph on this bootstrap does not set one at run time.
import type { CacheHint } from '@apollo/cache-control-types';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  getNamedType,
  isCompositeType,
  Kind,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type Scope = 'PUBLIC' | 'PRIVATE';

/** A policy being narrowed: the shortest maxAge and the narrowest scope seen (undefined: none yet). */
interface Hint {
  maxAge?: number | undefined;
  scope?: Scope | undefined;
  inheritMaxAge?: boolean;
}

/** Apollo's `defaultMaxAge`: a root field, or an object-typed field with no hint of its own, may not be cached. */
const DEFAULT_MAX_AGE = 0;

function restrict(into: Hint, by: Hint): void {
  if (by.maxAge !== undefined && (into.maxAge === undefined || by.maxAge < into.maxAge)) into.maxAge = by.maxAge;
  if (by.scope !== undefined && into.scope !== 'PRIVATE') into.scope = by.scope;
}

/** What one @cacheControl directive says, read as Apollo reads it. */
function hintOf(directives: readonly ConstDirectiveNode[] | undefined): Hint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scope = scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = argument('maxAge');
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope };
}

/** Read once per type: `_entities` asks for its representations' types on every request. */
const typeHints = new WeakMap<GraphQLNamedType, Hint>();

function typeHint(type: GraphQLNamedType): Hint {
  let hint = typeHints.get(type);
  if (!hint) {
    const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
    hint = nodes.map((node) => hintOf(node?.directives)).find((found) => found !== undefined) ?? {};
    typeHints.set(type, hint);
  }
  return hint;
}

/** A field's own policy, as Apollo's plugin computes it when the field resolves (before any dynamic hint). */
function fieldHint(field: GraphQLField<unknown, unknown>, root: boolean): Hint {
  const policy: Hint = {};
  let inheritMaxAge = false;
  const target = getNamedType(field.type);
  const composite = isCompositeType(target);
  if (composite) {
    const hint = typeHint(target);
    replace(policy, hint);
    inheritMaxAge = hint.inheritMaxAge === true;
  }
  const own = hintOf(field.astNode?.directives) ?? {};
  if (own.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (own.scope) policy.scope = own.scope;
  } else replace(policy, own);
  if (policy.maxAge === undefined && ((composite && !inheritMaxAge) || root)) restrict(policy, { maxAge: DEFAULT_MAX_AGE });
  return policy;
}

/** Apollo's `replace`: each value the hint has wins. */
function replace(into: Hint, by: Hint): void {
  if (by.maxAge !== undefined) into.maxAge = by.maxAge;
  if (by.scope !== undefined) into.scope = by.scope;
}

/** What an operation's root fields fix and what its other fields may add, by its text. */
interface Analysis {
  /** The root fields' policies together, `_entities` aside. */
  roots: Hint;
  /** The variable holding `_entities`' representations, when the operation selects `_entities` with one. */
  entitiesVariable: string | null;
  /** The strictest any other field could make the policy, if it resolves. */
  below: Hint;
  /** False when the operation is outside what this reads (an unknown field or fragment, `_entities` without a variable): Apollo's plugin decides. */
  readable: boolean;
}

const conditional = (node: FieldNode) => node.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include') ?? false;

function analyse(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Analysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const analysis: Analysis = { roots: {}, entitiesVariable: null, below: {}, readable: true };
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { ...analysis, readable: false };
  // A fragment is read once per level (root or below) however often it is spread, so the work is bounded by the document's size.
  const seen = new Set<string>();
  const visit = (type: GraphQLCompositeType, selections: SelectionSetNode, root: boolean) => {
    const stack: { type: GraphQLCompositeType; set: SelectionSetNode }[] = [{ type, set: selections }];
    while (stack.length > 0 && analysis.readable) {
      const { type: parent, set } = stack.pop()!;
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (!on || !isCompositeType(on)) analysis.readable = false;
          else stack.push({ type: on, set: selection.selectionSet });
          continue;
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          const on = fragment && schema.getType(fragment.typeCondition.name.value);
          if (!fragment || !on || !isCompositeType(on)) analysis.readable = false;
          else {
            const key = `${root}:${fragment.name.value}`;
            if (!seen.has(key)) {
              seen.add(key);
              visit(on, fragment.selectionSet, root);
            }
          }
          continue;
        }
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (!('getFields' in parent)) {
          analysis.readable = false;
          continue;
        }
        const field = parent.getFields()[name];
        if (!field) {
          // Introspection (__schema, __type) and anything else the schema does not list.
          analysis.readable = false;
          continue;
        }
        if (root && name === '_entities') {
          const representations = selection.arguments?.find((a) => a.name.value === 'representations')?.value;
          if (representations?.kind !== Kind.VARIABLE || analysis.entitiesVariable !== null || conditional(selection)) analysis.readable = false;
          else analysis.entitiesVariable = representations.name.value;
        } else restrict(root && !conditional(selection) ? analysis.roots : analysis.below, fieldHint(field, root));
        const target = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(target)) visit(target, selection.selectionSet, false);
      }
    }
  };
  visit(rootType, operation.selectionSet, true);
  return analysis;
}

/** `_entities`' own policy: the hint of each representation's type, or none (then the default) when no type has one. */
function entitiesHint(schema: GraphQLSchema, representations: unknown): Hint | null {
  if (!Array.isArray(representations)) return null;
  const policy: Hint = {};
  const typenames = new Set<string>();
  for (const representation of representations) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename !== 'string') return null;
    typenames.add(typename);
  }
  for (const typename of typenames) {
    const type = schema.getType(typename);
    // Apollo's resolver fails the field for such a type; its plugin then decides.
    if (!type || !isCompositeType(type)) return null;
    restrict(policy, typeHint(type));
  }
  if (policy.maxAge === undefined) restrict(policy, { maxAge: DEFAULT_MAX_AGE });
  return policy;
}

/** Whether fields below the roots could make `roots` stricter: then only resolving them tells. */
function couldNarrow(roots: Hint, below: Hint): boolean {
  const shorter = below.maxAge !== undefined && (roots.maxAge === undefined || below.maxAge < roots.maxAge);
  return shorter || (below.scope === 'PRIVATE' && roots.scope !== 'PRIVATE');
}

const analyses = new WeakMap<OperationDefinitionNode, Analysis>();

/**
 * The policy the operation's text decides with these variables, as a hint
 * for the answer's policy; null when only resolving its fields tells (then
 * Apollo's per-field plugin decides).
 */
export function policyByText(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined): CacheHint | null {
  let analysis = analyses.get(operation);
  if (!analysis) {
    analysis = analyse(schema, document, operation);
    analyses.set(operation, analysis);
  }
  if (!analysis.readable) return null;
  const roots: Hint = { ...analysis.roots };
  const entities = analysis.entitiesVariable === null ? {} : entitiesHint(schema, variables?.[analysis.entitiesVariable]);
  if (!entities) return null;
  restrict(roots, entities);
  if (couldNarrow(roots, analysis.below)) return null;
  return { ...(roots.maxAge === undefined ? {} : { maxAge: roots.maxAge }), ...(roots.scope === undefined ? {} : { scope: roots.scope }) };
}

/**
 * Replaces Apollo's cache-control plugin (which it disables): the same
 * policy and the same Cache-Control header, from the operation's text where
 * that decides it.
 */
export function cachePolicyPlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  const perField = ApolloServerPluginCacheControl() as ApolloServerPlugin<TContext>;
  let schema: GraphQLSchema | null = null;
  return [
    ApolloServerPluginCacheControlDisabled() as ApolloServerPlugin<TContext>,
    {
      async serverWillStart(service) {
        schema = service.schema;
        await perField.serverWillStart?.(service);
      },
      async requestDidStart(request: GraphQLRequestContext<TContext>) {
        const apollo = (await perField.requestDidStart?.(request)) as GraphQLRequestListener<TContext> | undefined;
        return {
          async executionDidStart(started) {
            const { document, operation } = started;
            const byText = schema && document && operation ? policyByText(schema, document, operation, started.request.variables) : null;
            if (byText) {
              started.overallCachePolicy.restrict(byText);
              return;
            }
            return apollo?.executionDidStart?.(started);
          },
          async willSendResponse(sending) {
            await apollo?.willSendResponse?.(sending);
          },
        };
      },
    },
  ];
}
