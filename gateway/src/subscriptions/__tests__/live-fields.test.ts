// The live fields a supergraph declares with @live: read from the composed
// supergraph as shipped, owned by the subgraph that resolves the field, and
// refused whole when a declaration is incomplete. Then the announcements the
// gateway accepts on a live field's channel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEntityEvent } from '../live-events';
import { liveFieldsOf } from '../live-fields';

const ROOT = join(__dirname, '..', '..', '..', '..');

const supergraph = (fields: string) => `
  enum join__Graph {
    A @join__graph(name: "alpha", url: "http://a/graphql")
    B @join__graph(name: "beta", url: "http://b/graphql")
  }
  type Subscription @join__type(graph: A) @join__type(graph: B) {
    ${fields}
  }
`;
const LIVE = 'query: "order", argument: "id", channel: "orders", stream: "/events/orders", eventKey: "orderId", history: "changes", change: "to", patches: "state"';

test('the shipped supergraph declares paymentUpdated live, owned by payments, re-read through payment(id)', () => {
  const live = liveFieldsOf(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
  expect([...live.keys()]).toEqual(['paymentUpdated']);
  expect(live.get('paymentUpdated')).toMatchObject({ subgraph: 'payments', query: 'payment', argument: 'id', history: 'events', change: 'toStatus', patches: 'status' });
  expect([...live.get('paymentUpdated')!.final].sort()).toEqual(['CANCELED', 'EXPIRED', 'FAILED', 'REFUNDED']);
});

test('a field of a type several subgraphs share belongs to the one its join__field names', () => {
  const live = liveFieldsOf(supergraph(`orderUpdated(id: ID!): Int @join__field(graph: B) @live(${LIVE}, final: ["DONE"])  other: Int @join__field(graph: A)`));
  expect(live.get('orderUpdated')).toMatchObject({ subgraph: 'beta', channel: 'orders', eventKey: 'orderId' });
  expect(live.has('other')).toBe(false);
});

test.each([
  ['an argument of the directive is missing', `orderUpdated(id: ID!): Int @join__field(graph: A) @live(query: "order", argument: "id")`],
  ['it names an argument the field does not take', `orderUpdated(key: ID!): Int @join__field(graph: A) @live(${LIVE}, final: [])`],
  ['no single subgraph owns it', `orderUpdated(id: ID!): Int @live(${LIVE}, final: [])`],
])('a declaration is refused when %s', (_case, fields) => {
  expect(() => liveFieldsOf(supergraph(fields))).toThrow();
});

test('a supergraph without @live declares nothing live', () => {
  expect(liveFieldsOf(supergraph('orderUpdated(id: ID!): Int')).size).toBe(0);
});

test.each([
  ['{"orderId":"o1","version":3,"status":"PAID"}', { entityId: 'o1', version: 3 }],
  ['{"resync":true}', 'resync'],
  ['{"orderId":"o1","version":0}', null],
  ['{"orderId":7,"version":1}', null],
  ['{"paymentId":"o1","version":1}', null],
  ['not json', null],
  ['[1]', null],
])('the announcement %s is read as %j', (text, expected) => {
  expect(decodeEntityEvent(text, 'orderId')).toEqual(expected);
});
