// Turns a subscription request into the query the gateway runs for it: the
// subscription is checked against the gateway's API schema and must name a
// live field (see live-fields), then, for a field declared
// `@live(query: "payment", history: "events", change: "toStatus", ...)`,
// `subscription($id: ID!) { paymentUpdated(id: $id) { ...selection } }`
// becomes `query($id: ID!) { paymentUpdated: payment(id: $id) { ...selection } }`,
// so the query planner fetches every field, across subgraphs, exactly as for
// a query, and the answer already has the subscription's shape. The query
// also reads the entity's changes (under a key of its own, never delivered):
// how many there were is the entity's version, and each one's value is what a
// delivered change reports.
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  print,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type NameNode,
  type SelectionSetNode,
} from 'graphql';
import { GatewayErrorCode } from '../__generated__/error-codes';
import { documentRefusal, variablesRefusal, type DocumentLimits } from '../document-limits';
import type { LiveField, LiveFields } from './live-fields';

export interface SubscriptionRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface SubscriptionPlan {
  /** The live field subscribed to, as the supergraph declares it. */
  live: LiveField;
  /** The id of the entity followed: the value of the live field's argument. */
  entityId: string;
  /** The API schema the subscription was checked against. */
  schema: GraphQLSchema;
  /** The subscription as sent (transports need it to recognise a subscription). */
  document: DocumentNode;
  /** The equivalent query, printed once: Apollo caches its parsing, validation and plan by its text. */
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  /** Where the entity is in the query's data and in each delivered result: the subscription's alias, or the field's name. */
  responseKey: string;
  /** Response keys of the live field's `patches` field in the entity's own selection: each delivered change sets them to its value. */
  patchKeys: readonly string[];
  /** Where the query reads the entity's changes, a key the selection does not use. */
  changesKey: string;
}

/**
 * The type of operation a request asks for, read without running it: null
 * when its text is over the limits, does not parse or names no one operation
 * (whatever runs it then refuses it, with the code).
 */
export function requestedOperationType(request: SubscriptionRequest, limits: DocumentLimits): OperationTypeNode | null {
  const { query, operationName } = request;
  if (typeof query !== 'string' || documentRefusal(query, limits)) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation ?? null;
  } catch {
    return null;
  }
}

/** The plan, or the errors (each with its code) that refuse the request. */
export function planSubscription(
  schema: GraphQLSchema,
  request: SubscriptionRequest,
  options: { hideSuggestions: boolean; limits: DocumentLimits; live: LiveFields },
): SubscriptionPlan | GraphQLFormattedError[] {
  const { query, variables = {}, operationName } = request;
  if (typeof query !== 'string' || query.length === 0) return [refusal(GatewayErrorCode.BAD_REQUEST, 'The request has no query.')];
  if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return [refusal(GatewayErrorCode.BAD_REQUEST, '`variables` must be an object.')];
  }
  if (operationName != null && typeof operationName !== 'string') return [refusal(GatewayErrorCode.BAD_REQUEST, '`operationName` must be a string.')];

  // Everything below walks the document; the text's size and nesting are bounded first.
  const refused = documentRefusal(query, options.limits) ?? variablesRefusal(variables, options.limits);
  if (refused) {
    const { http: _http, ...extensions } = refused.extensions;
    return [{ message: refused.message, extensions }];
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [refusal(GatewayErrorCode.GRAPHQL_PARSE_FAILED, error instanceof GraphQLError ? error.message : 'The query does not parse.')];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) {
    return invalid.map((error) =>
      refusal(GatewayErrorCode.GRAPHQL_VALIDATION_FAILED, options.hideSuggestions ? error.message.replace(/ ?Did you mean .+\?$/, '') : error.message),
    );
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return [refusal(GatewayErrorCode.OPERATION_RESOLUTION_FAILURE, 'Name the operation to run (`operationName`).')];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [refusal(GatewayErrorCode.OPERATION_NOT_SUPPORTED, 'Only subscriptions are served here; send queries and mutations over HTTP.')];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Validation leaves exactly one root field, possibly inside fragments.
  const [field] = fieldsOf(operation.selectionSet, fragments);
  const live = field && options.live.get(field.name.value);
  const fieldDefinition = live && schema.getSubscriptionType()?.getFields()[live.subscription];
  if (!field || !live || !fieldDefinition) {
    const served = [...options.live.keys()].join(', ') || 'none';
    return [refusal(GatewayErrorCode.OPERATION_NOT_SUPPORTED, `The gateway serves these subscriptions only: ${served}.`)];
  }

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) return coerced.errors.map((error) => refusal(GatewayErrorCode.BAD_USER_INPUT, error.message));
  let entityId: string;
  try {
    entityId = String(getArgumentValues(fieldDefinition, field, coerced.coerced)[live.argument]);
  } catch (error) {
    return [refusal(GatewayErrorCode.BAD_USER_INPUT, error instanceof GraphQLError ? error.message : `Invalid argument \`${live.argument}\`.`)];
  }

  const responseKey = field.alias?.value ?? field.name.value;
  const selections = field.selectionSet?.selections ?? [];
  const usedKeys = new Set(keysOf(field.selectionSet, fragments, () => true));
  let changesKey = `_${live.subscription}Changes`;
  for (let n = 2; usedKeys.has(changesKey); n += 1) changesKey = `_${live.subscription}Changes${n}`;
  const entity: FieldNode = {
    kind: Kind.FIELD,
    alias: name(responseKey),
    name: name(live.query),
    arguments: field.arguments ?? [],
    directives: field.directives ?? [],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        ...selections,
        {
          kind: Kind.FIELD,
          alias: name(changesKey),
          name: name(live.history),
          selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: name(live.change) }] },
        },
      ],
    },
  };
  const usedFragments = reachableFragments(entity, fragments);
  const usedVariables = variablesIn([entity, ...usedFragments, ...(operation.directives ?? [])]);
  const queryDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        ...(operation.name ? { name: operation.name } : {}),
        variableDefinitions: (operation.variableDefinitions ?? []).filter((definition) => usedVariables.has(definition.variable.name.value)),
        directives: operation.directives ?? [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [entity] },
      },
      ...usedFragments,
    ],
  };
  return {
    live,
    entityId,
    schema,
    document,
    query: print(queryDocument),
    variables: (variables ?? {}) as Record<string, unknown>,
    operationName: operation.name?.value,
    responseKey,
    patchKeys: keysOf(field.selectionSet, fragments, (selected) => selected.name.value === live.patches),
    changesKey,
  };
}

const name = (value: string): NameNode => ({ kind: Kind.NAME, value });

function refusal(code: GatewayErrorCode, message: string): GraphQLFormattedError {
  return { message, extensions: { code } };
}

/** The fields of a selection set, looking through inline fragments and fragment spreads. */
function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...fieldsOf(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      fields.push(...fieldsOf(fragments.get(selection.name.value)?.selectionSet, fragments, seen));
    }
  }
  return fields;
}

function keysOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  wanted: (field: FieldNode) => boolean,
): string[] {
  const keys = fieldsOf(selectionSet, fragments)
    .filter(wanted)
    .map((field) => field.alias?.value ?? field.name.value);
  return [...new Set(keys)];
}

function reachableFragments(root: FieldNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const reached = new Map<string, FragmentDefinitionNode>();
  const pending: (FieldNode | FragmentDefinitionNode)[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node) break;
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !reached.has(spread.name.value)) {
          reached.set(spread.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...reached.values()];
}

function variablesIn(nodes: readonly ASTNode[]): Set<string> {
  const used = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        used.add(variable.name.value);
      },
    });
  }
  return used;
}
