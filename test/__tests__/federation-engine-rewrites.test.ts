// The plan executor on the parts of a plan that rewrite data: @requires (the
// entity's external fields sent with its key), @interfaceObject (a concrete
// type's representation renamed to its interface on the way in, the type found
// again on the way out), and the aliases the planner adds when two selections
// of one subgraph fetch cannot merge (renamed back on the way out). Stock
// @apollo/gateway on the same subgraphs is the reference: same JSON text.
import { startDifferential, type Differential } from '@interop/testing/differential';

const MEDIA: Readonly<Record<string, { __typename: 'Book' | 'Film'; id: string; title: string; author?: string; minutes?: number }>> = {
  b1: { __typename: 'Book', id: 'b1', title: 'Dune', author: 'Herbert' },
  b2: { __typename: 'Book', id: 'b2', title: 'Emma', author: 'Austen' },
  f1: { __typename: 'Film', id: 'f1', title: 'Alien', minutes: 117 },
};
const STARS: Readonly<Record<string, number>> = { b1: 5, b2: 3, f1: 4 };

const PARCELS = [
  { id: 'k1', weight: 2, size: { width: 10, height: 20 }, to: 'Hangzhou', label: { region: 'ZJ', serial: 7 } },
  { id: 'k2', weight: 7, size: { width: 30, height: 30 }, to: 'Shenzhen', label: { region: 'GD', serial: 7 } },
];
const STATUS: Readonly<Record<string, string>> = { 'ZJ-7': 'sorted', 'GD-7': 'on its way', 'GD-9': 'lost' };
const byLabel = ({ region, serial }: { region: string; serial: number }) => PARCELS.find((parcel) => parcel.label.region === region && parcel.label.serial === serial) ?? null;

const GADGETS = [
  { __typename: 'Gadget', id: 'g1', code: 11, label: 'dial' },
  { __typename: 'Gizmo', id: 'z1', code: null, label: 'lever' },
  { __typename: 'Gadget', id: 'g2', code: 12, label: 'knob' },
];

let differential: Differential;

beforeAll(async () => {
  differential = await startDifferential([
    {
      name: 'library',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          media: [Media]
          books: [Book]
        }
        interface Media @key(fields: "id") {
          id: ID!
          title: String
        }
        type Book implements Media @key(fields: "id") {
          id: ID!
          title: String
          author: String
        }
        type Film implements Media @key(fields: "id") {
          id: ID!
          title: String
          minutes: Int
        }
      `,
      resolvers: {
        Query: { media: () => Object.values(MEDIA), books: () => Object.values(MEDIA).filter((item) => item.__typename === 'Book') },
        Media: { __resolveReference: ({ id }: { id: string }) => MEDIA[id] ?? null },
        Book: { __resolveReference: ({ id }: { id: string }) => MEDIA[id] ?? null },
        Film: { __resolveReference: ({ id }: { id: string }) => MEDIA[id] ?? null },
      },
    },
    {
      name: 'ratings',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@interfaceObject"])
        type Query {
          topRated: [Media]
        }
        type Media @key(fields: "id") @interfaceObject {
          id: ID!
          stars: Int
          similar: [Media]
        }
      `,
      resolvers: {
        Query: { topRated: () => ['b1', 'f1', 'b2'].map((id) => ({ id })) },
        Media: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          stars: ({ id }: { id: string }) => STARS[id] ?? null,
          similar: ({ id }: { id: string }) => Object.keys(MEDIA).filter((other) => other !== id).map((other) => ({ id: other })),
        },
      },
    },
    {
      name: 'warehouse',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
        type Query {
          parcels: [Parcel]
        }
        type Parcel @key(fields: "id") @key(fields: "label { region serial }") {
          id: ID!
          label: Label!
          weight: Int
          size: Size
          to: String
          "Tariffs for the parcel, by zone; all zones without one."
          rates(zone: Int): [Int]
        }
        type Size @shareable {
          width: Int
          height: Int
        }
        type Label @shareable {
          region: String!
          serial: Int!
        }
      `,
      resolvers: {
        Query: { parcels: () => PARCELS },
        Parcel: {
          __resolveReference: ({ id, label }: { id?: string; label?: { region: string; serial: number } }) => (label ? byLabel(label) : (PARCELS.find((parcel) => parcel.id === id) ?? null)),
          rates: ({ weight }: { weight: number }, { zone }: { zone?: number | null }) => (zone == null ? [1, 2, 3] : [zone]).map((z) => z * weight),
        },
      },
    },
    {
      name: 'shipping',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@shareable"])
        type Parcel @key(fields: "id") {
          id: ID!
          weight: Int @external
          size: Size @external
          cost: Int @requires(fields: "weight size { width height }")
          oversize: Boolean @requires(fields: "size { height }")
          rates(zone: Int): [Int] @external
          express: Int @requires(fields: "rates(zone: 2)")
        }
        type Size @shareable {
          width: Int
          height: Int
        }
      `,
      resolvers: {
        Parcel: {
          cost: ({ weight, size }: { weight: number; size: { width: number; height: number } }) => weight * 3 + Math.ceil((size.width * size.height) / 100),
          oversize: ({ size }: { size: { height: number } }) => size.height > 25,
          express: ({ rates }: { rates: number[] }) => rates.reduce((a, b) => a + b, 0) + 1,
        },
      },
    },
    {
      name: 'tracking',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
        type Query {
          tracked: [Parcel]
        }
        type Parcel @key(fields: "label { region serial }") {
          label: Label!
          status: String
        }
        type Label @shareable {
          region: String!
          serial: Int!
        }
      `,
      resolvers: {
        Query: { tracked: () => ['GD-7', 'GD-9', 'ZJ-7', 'GD-7'].map((code) => ({ label: { region: code.slice(0, 2), serial: Number(code.slice(3)) } })) },
        Parcel: { status: ({ label }: { label: { region: string; serial: number } }) => STATUS[`${label.region}-${label.serial}`] ?? null },
      },
    },
    {
      name: 'parts',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
        type Query {
          parts: [Part]
        }
        union Part = Gadget | Gizmo
        type Gadget @key(fields: "id") {
          id: ID!
          code: Int! @shareable
          label: String
        }
        type Gizmo {
          id: ID!
          code: Int
          label: String
        }
      `,
      resolvers: {
        Query: { parts: () => GADGETS },
        Part: { __resolveType: (part: { __typename: string }) => part.__typename },
        Gadget: { __resolveReference: ({ id }: { id: string }) => GADGETS.find((gadget) => gadget.id === id) ?? null },
      },
    },
    {
      name: 'legacy',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
        type Gadget @key(fields: "id") {
          id: ID!
          code: Int @shareable
          vintage: Boolean
        }
      `,
      resolvers: {
        Gadget: {
          __resolveReference: ({ id }: { id: string }) => ({ id, code: GADGETS.find((gadget) => gadget.id === id)?.code ?? null }),
          vintage: ({ id }: { id: string }) => id === 'g1',
        },
      },
    },
  ]);
});

afterAll(async () => {
  await differential?.stop();
});

beforeEach(() => {
  differential.forgetRequests();
});

/** Both gateways write the same JSON, with no errors; the data. */
const sameAnswer = (query: string, variables: Record<string, unknown> = {}) => differential.sameAnswer(query, variables);
const sentTo = (name: string) => differential.sentTo(name);

test('@requires: the entity\'s external fields, nested ones too, go with its key to the subgraph that requires them', async () => {
  const query = '{ parcels { id to cost oversize } }';
  expect(differential.planner.features(query).flattenPaths).toEqual(['parcels.@']);
  expect(await sameAnswer(query)).toEqual({
    parcels: [
      { id: 'k1', to: 'Hangzhou', cost: 8, oversize: false },
      { id: 'k2', to: 'Shenzhen', cost: 30, oversize: true },
    ],
  });
  expect(sentTo('shipping')).toHaveLength(1);
  expect(sentTo('shipping')[0]!.variables['representations']).toEqual(
    PARCELS.map(({ id, weight, size }) => ({ __typename: 'Parcel', id, size: { height: size.height, width: size.width }, weight })),
  );
});

test('@requires of a field with arguments: the value fetched under an alias goes to the subgraph under the field\'s name', async () => {
  const query = '{ parcels { id rates express cost } }';
  expect(differential.planner.features(query).rewrites).toContain('input:KeyRenamer');
  expect(await sameAnswer(query)).toEqual({
    parcels: [
      { id: 'k1', rates: [2, 4, 6], express: 5, cost: 8 },
      { id: 'k2', rates: [7, 14, 21], express: 15, cost: 30 },
    ],
  });
  expect(sentTo('shipping')[0]!.variables['representations']).toEqual([expect.objectContaining({ id: 'k1', rates: [4] }), expect.objectContaining({ id: 'k2', rates: [14] })]);
});

test('@interfaceObject, in: a Book\'s representation is sent as a Media, once per entity', async () => {
  const query = '{ books { title stars } media { ... on Book { author } stars } }';
  const plan = differential.planner.features(query);
  expect(plan.rewrites).toContain('input:ValueSetter');
  expect(await sameAnswer(query)).toEqual({
    books: [
      { title: 'Dune', stars: 5 },
      { title: 'Emma', stars: 3 },
    ],
    media: [{ author: 'Herbert', stars: 5 }, { author: 'Austen', stars: 3 }, { stars: 4 }],
  });
  const sent = sentTo('ratings').flatMap((request) => request.variables['representations'] as unknown[]);
  expect(sent.length).toBeGreaterThan(0);
  for (const representation of sent) expect(representation).toMatchObject({ __typename: 'Media' });
});

test('@interfaceObject, out: objects known only as Media get their type, and type conditions, from the owner of the interface', async () => {
  const query = '{ topRated { __typename id stars title ... on Book { author } ... on Film { minutes } } media { __typename id stars similar { __typename id title ... on Film { minutes } } } }';
  const data = await sameAnswer(query);
  expect(data['topRated']).toEqual([
    { __typename: 'Book', id: 'b1', stars: 5, title: 'Dune', author: 'Herbert' },
    { __typename: 'Film', id: 'f1', stars: 4, title: 'Alien', minutes: 117 },
    { __typename: 'Book', id: 'b2', stars: 3, title: 'Emma', author: 'Austen' },
  ]);
  expect((data['media'] as { similar: unknown[] }[])[0]!.similar).toEqual([
    { __typename: 'Book', id: 'b2', title: 'Emma' },
    { __typename: 'Film', id: 'f1', title: 'Alien', minutes: 117 },
  ]);
});

test('an alias the planner adds to a field whose types cannot merge in one fetch is renamed back in the answer', async () => {
  const query = '{ parts { __typename ... on Gadget { id code vintage } ... on Gizmo { id code label } } }';
  expect(differential.planner.features(query).rewrites).toContain('output:KeyRenamer');
  expect(await sameAnswer(query)).toEqual({
    parts: [
      { __typename: 'Gadget', id: 'g1', code: 11, vintage: true },
      { __typename: 'Gizmo', id: 'z1', code: null, label: 'lever' },
      { __typename: 'Gadget', id: 'g2', code: 12, vintage: false },
    ],
  });
  // Aliased by the client as well, on top of the planner's alias.
  expect(await sameAnswer('{ parts { ... on Gadget { c: code } ... on Gizmo { c: code } } }')).toEqual({ parts: [{ c: 11 }, { c: null }, { c: 12 }] });
});

test('a key of nested fields, and an entity reached by one key and resolved by another', async () => {
  const query = '{ parcels { id status label { serial } } tracked { label { region } status to cost } }';
  const plan = differential.planner.features(query);
  expect(plan.fetches).toEqual(expect.arrayContaining(['tracking', 'warehouse', 'shipping']));
  expect(await sameAnswer(query)).toEqual({
    parcels: [
      { id: 'k1', status: 'sorted', label: { serial: 7 } },
      { id: 'k2', status: 'on its way', label: { serial: 7 } },
    ],
    tracked: [
      { label: { region: 'GD' }, status: 'on its way', to: 'Shenzhen', cost: 30 },
      { label: { region: 'GD' }, status: 'lost', to: null, cost: null },
      { label: { region: 'ZJ' }, status: 'sorted', to: 'Hangzhou', cost: 8 },
      { label: { region: 'GD' }, status: 'on its way', to: 'Shenzhen', cost: 30 },
    ],
  });
  const labels = sentTo('warehouse').flatMap((request) => (request.variables['representations'] as { label?: unknown }[] | undefined) ?? []);
  expect(labels).toEqual([
    { __typename: 'Parcel', label: { region: 'GD', serial: 7 } },
    { __typename: 'Parcel', label: { region: 'GD', serial: 9 } },
    { __typename: 'Parcel', label: { region: 'ZJ', serial: 7 } },
  ]);
});
