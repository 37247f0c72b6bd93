// One Fetch node of a query plan, prepared once per plan: the request body's
// fixed parts already serialised, the representation builder for @key and
// @requires, and the input and output rewrites as functions.
import type { FetchDataRewrite, FetchNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { isAbstractType, type GraphQLSchema } from 'graphql';

type Json = Record<string, unknown>;

export interface FetchProgram {
  serviceName: string;
  write: boolean;
  variableUsages: readonly string[];
  /** The body up to the variables object: `{"query":"...","variables":`. */
  bodyStart: string;
  /** The body after the variables object. */
  bodyEnd: string;
  /** The entity's representation, or null when this fetch does not apply to it; absent for a root fetch. */
  represent?: (entity: Json) => Json | null;
  rewriteInput?: (representation: Json) => void;
  rewriteOutput?: (value: Json) => void;
}

/** Whether an object whose __typename is `typename` is of type `condition`, answered once per pair. */
export class TypeTests {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly supergraph: GraphQLSchema) {}

  isOfType(object: Json, condition: string, whenUntyped: boolean): boolean {
    const typename = object.__typename;
    if (typeof typename !== 'string' || typename === '') return whenUntyped;
    if (typename === condition) return true;
    const key = `${condition}\n${typename}`;
    let answer = this.known.get(key);
    if (answer === undefined) {
      const type = this.supergraph.getType(typename);
      const conditional = this.supergraph.getType(condition);
      answer = !!type && !!conditional && isAbstractType(conditional) && this.supergraph.isSubType(conditional, type as never);
      this.known.set(key, answer);
    }
    return answer;
  }
}

export function compileFetch(node: FetchNode, types: TypeTests): FetchProgram {
  return {
    serviceName: node.serviceName,
    write: node.operationKind === 'mutation',
    variableUsages: node.variableUsages ?? [],
    bodyStart: `{"query":${JSON.stringify(node.operation)},"variables":`,
    bodyEnd: node.operationName ? `,"operationName":${JSON.stringify(node.operationName)}}` : '}',
    ...(node.requires ? { represent: representer(node.requires, types) } : {}),
    ...(node.inputRewrites?.length ? { rewriteInput: rewriter(node.inputRewrites, types) } : {}),
    ...(node.outputRewrites?.length ? { rewriteOutput: rewriter(node.outputRewrites, types) } : {}),
  };
}

/** Picks `selections` out of an entity as @apollo/gateway does: null when a selected field is missing. */
function representer(selections: readonly QueryPlanSelectionNode[], types: TypeTests): (entity: Json) => Json | null {
  const select = (source: Json, of: readonly QueryPlanSelectionNode[]): Json | null => {
    const result: Json = {};
    for (const selection of of) {
      if (selection.kind === 'Field') {
        const key = selection.alias ?? selection.name;
        const value = source[key];
        if (value === undefined) return null;
        const sub = selection.selections;
        if (Array.isArray(value)) result[key] = sub ? value.map((item: unknown) => (item === null ? null : select(item as Json, sub))) : value;
        else result[key] = sub && value !== null ? select(value as Json, sub) : value;
      } else if (selection.typeCondition && types.isOfType(source, selection.typeCondition, false)) {
        const picked = select(source, selection.selections);
        if (picked) Object.assign(result, picked);
      }
    }
    return result;
  };
  return (entity) => {
    const representation = select(entity, selections);
    return representation && representation.__typename ? representation : null;
  };
}

const FRAGMENT = '... on ';

/** The plan's rewrites: a path of fields and `... on T` conditions, then the field to set or rename. */
function rewriter(rewrites: readonly FetchDataRewrite[], types: TypeTests): (value: Json) => void {
  const steps = rewrites.map((rewrite) => {
    const path = rewrite.path.slice(0, -1);
    const field = rewrite.path[rewrite.path.length - 1]!;
    const apply =
      rewrite.kind === 'ValueSetter'
        ? (object: Json) => {
            object[field] = rewrite.setValueTo;
          }
        : (object: Json) => {
            const value = object[field];
            if (value) {
              object[rewrite.renameKeyTo] = value;
              object[field] = undefined;
            }
          };
    return (value: Json) => applyAt(path, 0, value, apply, types);
  });
  return (value) => {
    for (const step of steps) step(value);
  };
}

function applyAt(path: readonly string[], at: number, value: unknown, apply: (object: Json) => void, types: TypeTests): void {
  if (Array.isArray(value)) {
    for (const item of value) applyAt(path, at, item, apply, types);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Json;
  if (at === path.length) {
    apply(object);
    return;
  }
  const element = path[at]!;
  if (element.startsWith(FRAGMENT)) {
    if (types.isOfType(object, element.slice(FRAGMENT.length), true)) applyAt(path, at + 1, object, apply, types);
  } else {
    applyAt(path, at + 1, object[element], apply, types);
  }
}
