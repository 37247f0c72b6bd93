// The fact streams a supergraph declares with @factsAnnounced: read from the
// composed supergraph as shipped, owned by the subgraph that alone defines
// the type or resolves the field, one per subgraph and path, and refused
// when a declaration names no stream or no single owner.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACT_EVENTS_PATH } from '@interop/kit/events';
import { factStreamsOf } from '../fact-streams';

const ROOT = join(__dirname, '..', '..', '..', '..');

const supergraph = (types: string) => `
  enum join__Graph {
    A @join__graph(name: "alpha", url: "http://a/graphql")
    B @join__graph(name: "beta", url: "http://b/graphql")
    C @join__graph(name: "gamma", url: "http://c/graphql")
  }
  ${types}
`;

test('the shipped supergraph declares the fact streams commerce and merchants serve', () => {
  const streams = factStreamsOf(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
  expect(streams.sort((a, b) => a.subgraph.localeCompare(b.subgraph))).toEqual([
    { subgraph: 'commerce', stream: FACT_EVENTS_PATH },
    { subgraph: 'merchants', stream: FACT_EVENTS_PATH },
  ]);
});

test('every subgraph that declares a stream is followed, on a type it alone defines or a field it resolves, once per subgraph and path', () => {
  const streams = factStreamsOf(
    supergraph(`
      type Order @join__type(graph: A) @factsAnnounced(stream: "/events/facts") { id: ID! status: String @factsAnnounced(stream: "/events/facts") }
      type Shop @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
        id: ID!
        stock: Int @join__field(graph: B) @factsAnnounced(stream: "/facts")
        name: String @join__field(graph: A)
      }
      type Note @join__type(graph: C) { text: String }
    `),
  );
  expect(streams).toEqual(
    expect.arrayContaining([
      { subgraph: 'alpha', stream: '/events/facts' },
      { subgraph: 'beta', stream: '/facts' },
    ]),
  );
  expect(streams).toHaveLength(2);
});

test.each([
  ['it names no stream', `type Order @join__type(graph: A) @factsAnnounced { id: ID! }`],
  ['its stream is no path', `type Order @join__type(graph: A) @factsAnnounced(stream: "events") { id: ID! }`],
  ['it is on a type several subgraphs define', `type Shop @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") @factsAnnounced(stream: "/f") { id: ID! }`],
  ['it is on a field several subgraphs resolve', `type Shop @join__type(graph: A) @join__type(graph: B) { id: ID! @factsAnnounced(stream: "/f") }`],
])('a declaration is refused when %s', (_case, types) => {
  expect(() => factStreamsOf(supergraph(types))).toThrow();
});

test('a supergraph without @factsAnnounced declares no stream', () => {
  expect(factStreamsOf(supergraph('type Order @join__type(graph: A) { id: ID! }'))).toEqual([]);
});
