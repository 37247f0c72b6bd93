// Which subgraph a declaration in the supergraph belongs to, read from the
// join spec composition writes: the graph names of `enum join__Graph`, a
// type's `@join__type` graphs and a field's `@join__field` graphs. Live fields
// (subscriptions/live-fields) and fact streams (response-cache/fact-streams)
// name their owner this way, so the gateway needs no subgraph by name.
import { Kind, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';

/** Subgraph names by their join__Graph value, e.g. `PAYMENTS` → `payments`. */
export function graphNamesOf(document: DocumentNode): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = stringArgument(value.directives?.find((d) => d.name.value === 'join__graph'), 'name');
      if (name) names.set(value.name.value, name);
    }
  }
  return names;
}

/** The join__Graph values a type's `@join__type` directives name. */
export function typeGraphs(directives: readonly ConstDirectiveNode[] | undefined): string[] {
  return graphsOf(directives, 'join__type');
}

/**
 * The one subgraph that owns `field` (its own join__field graph, else its
 * type's only one), or the type's only one when no field is given; undefined
 * when none or several do.
 */
export function singleOwner(typeOwners: readonly string[], graphNames: ReadonlyMap<string, string>, field?: FieldDefinitionNode): string | undefined {
  const fieldOwners = field ? graphsOf(field.directives, 'join__field') : [];
  const owners = [...new Set(fieldOwners.length > 0 ? fieldOwners : typeOwners)];
  return owners.length === 1 ? graphNames.get(owners[0]!) : undefined;
}

export function stringArgument(directive: ConstDirectiveNode | undefined, name: string): string | null {
  const value = directive?.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : null;
}

function graphsOf(directives: readonly ConstDirectiveNode[] | undefined, join: string): string[] {
  return (directives ?? []).filter((d) => d.name.value === join).flatMap((d) => {
    const value = d.arguments?.find((argument) => argument.name.value === 'graph')?.value;
    return value?.kind === Kind.ENUM ? [value.value] : [];
  });
}
