// Which subscription fields the gateway serves, read from the supergraph: a
// subgraph marks a Subscription field `@live(...)` (composed into the
// supergraph with @composeDirective) to say which Query field re-reads its
// entity, where the entity's changes are announced and how its history gives
// each change. The gateway knows no field by name; a new live field is a
// schema change in the subgraph that owns it.
import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import { graphNamesOf, singleOwner, stringArgument, typeGraphs } from '../supergraph-owners';

export interface LiveField {
  /** The Subscription field, e.g. `paymentUpdated`. */
  subscription: string;
  /** The Query field that reads the entity, taking the same arguments. */
  query: string;
  /** The argument that names the entity. */
  argument: string;
  /** The subgraph that owns the field and announces its changes. */
  subgraph: string;
  /** The event bus channel the changes are announced on. */
  channel: string;
  /** The owner's signed event stream, beside its routing URL, when no bus is shared. */
  stream: string;
  /** The field of an announced change that holds the entity's id. */
  eventKey: string;
  /** The entity's list of changes: its length is the entity's version. */
  history: string;
  /** The field of each change whose value a delivered result reports... */
  change: string;
  /** ...in this field of the entity. */
  patches: string;
  /** Values after which nothing follows: the subscription completes. */
  final: ReadonlySet<string>;
}

export type LiveFields = ReadonlyMap<string, LiveField>;

const LIVE_DIRECTIVE = 'live';
const STRING_ARGUMENTS = ['query', 'argument', 'channel', 'stream', 'eventKey', 'history', 'change', 'patches'] as const;

/** The live fields a supergraph declares, by subscription field name; throws when a declaration is incomplete. */
export function liveFieldsOf(supergraphSdl: string | DocumentNode): LiveFields {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl, { noLocation: true }) : supergraphSdl;
  const graphNames = graphNamesOf(document);
  let subscriptionType = 'Subscription';
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION) {
      const root = definition.operationTypes.find((operation) => operation.operation === 'subscription');
      if (root) subscriptionType = root.type.name.value;
    }
  }
  const live = new Map<string, LiveField>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (definition.name.value !== subscriptionType) continue;
    const typeOwners = typeGraphs(definition.directives);
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === LIVE_DIRECTIVE);
      if (!directive) continue;
      live.set(field.name.value, declaration(field, directive, ownerOf(field, typeOwners, graphNames)));
    }
  }
  return live;
}

function declaration(field: FieldDefinitionNode, directive: ConstDirectiveNode, subgraph: string): LiveField {
  const strings = Object.fromEntries(
    STRING_ARGUMENTS.map((name) => {
      const value = stringArgument(directive, name);
      if (!value) throw new Error(`@live on Subscription.${field.name.value} has no ${name}`);
      return [name, value];
    }),
  ) as Record<(typeof STRING_ARGUMENTS)[number], string>;
  if (!field.arguments?.some((argument) => argument.name.value === strings.argument)) {
    throw new Error(`@live on Subscription.${field.name.value} names argument ${strings.argument}, which the field does not take`);
  }
  const final = directive.arguments?.find((argument) => argument.name.value === 'final')?.value;
  return { subscription: field.name.value, subgraph, ...strings, final: new Set(final ? listOfStrings(final) : []) };
}

/** The field's own join__field graph, else its type's only one. */
function ownerOf(field: FieldDefinitionNode, typeOwners: readonly string[], graphNames: ReadonlyMap<string, string>): string {
  const owner = singleOwner(typeOwners, graphNames, field);
  if (!owner) throw new Error(`@live on Subscription.${field.name.value}: no single subgraph owns it`);
  return owner;
}

function listOfStrings(value: ConstValueNode): string[] {
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}
