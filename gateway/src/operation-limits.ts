// Limits that keep one request from taking the graph down: depth, aliases,
// root fields and an estimated cost, checked after parsing and validation and
// before anything is planned or any subgraph is called.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '@interop/kit';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  /** Estimated fields resolved: each field counts once per item of the lists above it. */
  maxCost: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 50, maxRootFields: 30, maxCost: 100_000 };

/** Items assumed for a list field whose size no `first` argument bounds. */
const ASSUMED_LIST_SIZE = 10;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const variables = request.variables ?? {};
          const measure: Measure = { depth: 0, aliases: 0, cost: 0 };

          /** How many times the children of this field are resolved per instance of it. */
          const multiplier = (field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
            const first = field.args.find((arg) => arg.name === 'first');
            if (first) {
              const given = node.arguments?.find((arg) => arg.name.value === 'first');
              const value = given ? valueFromAST(given.value, first.type, variables) : first.defaultValue;
              if (typeof value === 'number' && value >= 0) return value;
            }
            return isList(field.type) ? ASSUMED_LIST_SIZE : 1;
          };

          const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, depth: number, times: number, inConnection: boolean) => {
            for (const selection of selectionSet.selections) {
              if (selection.kind === Kind.FRAGMENT_SPREAD) {
                const fragment = fragments.get(selection.name.value);
                const type = fragment && schema.getType(fragment.typeCondition.name.value);
                if (fragment && type) walk(fragment.selectionSet, type, depth, times, inConnection);
                continue;
              }
              if (selection.kind === Kind.INLINE_FRAGMENT) {
                const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
                if (type) walk(selection.selectionSet, type, depth, times, inConnection);
                continue;
              }
              if (selection.alias) measure.aliases += 1;
              const name = selection.name.value;
              if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
              const field = parent.getFields()[name];
              if (!field) continue;
              measure.depth = Math.max(measure.depth, depth);
              measure.cost += times;
              if (!selection.selectionSet) continue;
              // A connection's `first` already counts its edges: the edges list itself does not multiply again.
              const edgesOfConnection = inConnection && (name === 'edges' || name === 'nodes');
              const factor = edgesOfConnection ? 1 : multiplier(field, selection);
              const isConnection = !isList(field.type) && field.args.some((arg) => arg.name === 'first');
              walk(selection.selectionSet, getNamedType(field.type), depth + 1, times * factor, isConnection);
            }
          };

          const root = schema.getRootType(operation.operation);
          if (!root) return;
          const rootFields = operation.selectionSet.selections.length;
          walk(operation.selectionSet, root, 1, 1, false);

          const refuse = (code: string, message: string, extra: Record<string, number>) => {
            throw new GraphQLError(message, { extensions: { code, ...extra, http: { status: 400 } } });
          };
          if (measure.depth > limits.maxDepth) refuse(ErrorCode.OPERATION_TOO_DEEP, 'The operation is nested too deeply.', { depth: measure.depth, limit: limits.maxDepth });
          if (measure.aliases > limits.maxAliases) refuse(ErrorCode.TOO_MANY_ALIASES, 'The operation uses too many aliases.', { aliases: measure.aliases, limit: limits.maxAliases });
          if (rootFields > limits.maxRootFields) refuse(ErrorCode.TOO_MANY_ROOT_FIELDS, 'The operation asks for too many root fields.', { rootFields, limit: limits.maxRootFields });
          if (measure.cost > limits.maxCost) refuse(ErrorCode.OPERATION_TOO_EXPENSIVE, 'The operation would resolve too many fields.', { cost: measure.cost, limit: limits.maxCost });
        },
      };
    },
  };
}
