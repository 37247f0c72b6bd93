// Operations that differ only in aliases are planned, cached and answered as
// one: before planning, every alias that does not tell two fields apart is
// taken out of the operation, and the answer gets the client's names back
// just before it is sent. So a client that names its fields differently on
// every request (or many clients naming them differently) costs one query
// plan and shares one cached answer, instead of a plan miss each time.
//
// Only operations without fragments are rewritten: with fragments, which
// fields share a response key depends on types, and the operation is planned
// as sent.
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, print, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from './context';

/** Response keys to rename, by the key in the planned operation's answer, level by level. */
export type Renames = Map<string, { alias: string | undefined; fields: Renames | undefined }>;

export interface NormalisedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  source: string;
  queryHash: string;
  renames: Renames;
}

/** The operation without the aliases it does not need, or null when there is nothing to take out (or it has fragments). */
export function normaliseAliases(document: DocumentNode, operationName: string | null | undefined): NormalisedOperation | null {
  if (document.definitions.some((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)) return null;
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation) return null;
  const cuts: Cut[] = [];
  let stripped: ReturnType<typeof stripSelectionSet>;
  try {
    stripped = stripSelectionSet(operation.selectionSet, cuts);
  } catch (error) {
    if (error instanceof HasFragments) return null;
    throw error;
  }
  if (!stripped) return null;
  const normalised: OperationDefinitionNode = { ...operation, selectionSet: stripped.selectionSet };
  // Only the chosen operation is kept: the others are never executed by this request.
  const canonical: DocumentNode = { kind: Kind.DOCUMENT, definitions: [normalised] };
  const source = sourceWithout(operation, cuts) ?? print(canonical);
  return { document: canonical, operation: normalised, source, queryHash: createHash('sha256').update(source).digest('hex'), renames: stripped.renames };
}

/** A stretch of the source to leave out: an alias, its colon and the space after it. */
interface Cut {
  start: number;
  end: number;
}

/**
 * The operation's own text without the aliases taken out: cheaper than
 * printing the new document, and the same for every spelling of one shape
 * (null when the parser kept no locations).
 */
function sourceWithout(operation: OperationDefinitionNode, cuts: readonly Cut[]): string | null {
  if (!operation.loc || cuts.length === 0) return null;
  const body = operation.loc.source.body;
  let text = '';
  let at = operation.loc.start;
  for (const cut of [...cuts].sort((a, b) => a.start - b.start)) {
    text += body.slice(at, cut.start);
    at = cut.end;
  }
  return text + body.slice(at, operation.loc.end);
}

function stripSelectionSet(selectionSet: SelectionSetNode, cuts: Cut[]): { selectionSet: SelectionSetNode; renames: Renames } | null {
  const fields = selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
  if (fields.length !== selectionSet.selections.length) throw new HasFragments();
  const names = new Map<string, number>();
  const aliases = new Set<string>();
  for (const field of fields) {
    names.set(field.name.value, (names.get(field.name.value) ?? 0) + 1);
    if (field.alias) aliases.add(field.alias.value);
  }
  const renames: Renames = new Map();
  const selections = fields.map((field): FieldNode => {
    const name = field.name.value;
    // An alias is needed when another field has the same name, or uses the name as its alias.
    const strip = field.alias !== undefined && names.get(name) === 1 && !aliases.has(name);
    const child = field.selectionSet ? stripSelectionSet(field.selectionSet, cuts) : null;
    if (strip && field.alias?.loc && field.name.loc) cuts.push({ start: field.alias.loc.start, end: field.name.loc.start });
    if (!strip && !child) return field;
    const key = strip ? name : (field.alias?.value ?? name);
    renames.set(key, { alias: strip ? field.alias?.value : undefined, fields: child?.renames });
    const { alias, ...unaliased } = field;
    return { ...(strip ? unaliased : { ...unaliased, ...(alias ? { alias } : {}) }), ...(child ? { selectionSet: child.selectionSet } : {}) };
  });
  return renames.size ? { selectionSet: { ...selectionSet, selections }, renames } : null;
}

class HasFragments extends Error {}

/** The answer with the client's response keys, as it asked for them. */
export function restoreAliases(value: unknown, renames: Renames | undefined): unknown {
  if (!renames || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => restoreAliases(item, renames));
  const restored: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const rename = renames.get(key);
    restored[rename?.alias ?? key] = rename ? restoreAliases(item, rename.fields) : item;
  }
  return restored;
}

function restorePath(path: readonly (string | number)[], renames: Renames): (string | number)[] {
  let level: Renames | undefined = renames;
  return path.map((segment) => {
    if (typeof segment === 'number' || !level) return segment;
    const rename = level.get(segment);
    level = rename?.fields;
    return rename?.alias ?? segment;
  });
}

/**
 * Two plugins around the response cache: `normalise` before it (so that the
 * cache and the planner see the operation without its aliases) and `restore`
 * after it. Apollo Server starts every plugin's willSendResponse in plugin
 * order; the response cache serialises the answer before its first await, so
 * it stores the answer to the normalised operation, and `restore` then gives
 * the client its own names.
 */
export function aliasNormalisationPlugins(): { normalise: ApolloServerPlugin<GatewayContext>; restore: ApolloServerPlugin<GatewayContext> } {
  const pending = new WeakMap<GraphQLRequestContext<GatewayContext>, Renames>();
  return {
    normalise: {
      async requestDidStart() {
        return {
          async didResolveOperation(request) {
            // Not memoised: it is one walk of the operation and a hash of its
            // text, and a memo would keep documents that are mostly one-offs.
            const normalised = normaliseAliases(request.document, request.operationName);
            if (!normalised) return;
            // The planner and the response cache key on these.
            Object.assign(request, { document: normalised.document, operation: normalised.operation, source: normalised.source, queryHash: normalised.queryHash });
            pending.set(request, normalised.renames);
          },
        };
      },
    },
    restore: {
      async requestDidStart() {
        return {
          async willSendResponse(request) {
            const renames = pending.get(request);
            if (!renames || request.response.body.kind !== 'single') return;
            const result = request.response.body.singleResult;
            if (result.data) result.data = restoreAliases(result.data, renames) as Record<string, unknown>;
            if (result.errors) {
              result.errors = result.errors.map(
                (error): GraphQLFormattedError => (error.path ? { ...error, path: restorePath(error.path, renames) } : error),
              );
            }
          },
        };
      },
    },
  };
}
