// Which subgraphs announce fact changes, read from the supergraph: a subgraph
// marks what it announces changes of (a type it alone owns, or a field it
// resolves) `@factsAnnounced(stream: ...)`, composed into the supergraph with
// @composeDirective, the way live fields are declared (see
// subscriptions/live-fields). Without a shared bus the gateway follows the
// stream of every subgraph that declares one; it knows none by name, so a
// new announcing subgraph is a schema change in that subgraph.
//
// On a type or a field rather than on the schema: composition keeps a
// composed directive on `schema` too, but merges it from every subgraph with
// no trace of which one applied it, while join__type and join__field say who
// owns a type or a field.
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { graphNamesOf, singleOwner, stringArgument, typeGraphs } from '../supergraph-owners';

/** One subgraph's fact-event stream. */
export interface FactStream {
  /** The subgraph that announces, by its name in the supergraph. */
  subgraph: string;
  /** The stream's path beside the subgraph's routing URL, e.g. `/events/facts`. */
  stream: string;
}

const FACTS_DIRECTIVE = 'factsAnnounced';

/** Every fact stream the supergraph declares, one per subgraph and path; throws when a declaration names no stream or no single owner. */
export function factStreamsOf(supergraphSdl: string | DocumentNode): FactStream[] {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl, { noLocation: true }) : supergraphSdl;
  const graphNames = graphNamesOf(document);
  const streams = new Map<string, FactStream>();
  const declared = (where: string, directive: ConstDirectiveNode, owner: string | undefined) => {
    const stream = stringArgument(directive, 'stream');
    if (!stream?.startsWith('/')) throw new Error(`@${FACTS_DIRECTIVE} on ${where} names no stream path`);
    if (!owner) throw new Error(`@${FACTS_DIRECTIVE} on ${where}: no single subgraph owns it`);
    streams.set(`${owner}\n${stream}`, { subgraph: owner, stream });
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeOwners = typeGraphs(definition.directives);
    for (const directive of definition.directives ?? []) {
      if (directive.name.value === FACTS_DIRECTIVE) declared(definition.name.value, directive, singleOwner(typeOwners, graphNames));
    }
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value === FACTS_DIRECTIVE) declared(`${definition.name.value}.${field.name.value}`, directive, singleOwner(typeOwners, graphNames, field));
      }
    }
  }
  return [...streams.values()];
}
