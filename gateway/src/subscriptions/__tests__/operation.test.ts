// From a subscription to the query the gateway runs for it: same selection,
// alias, variables and fragments (only those used), plus the status changes
// under a key the selection does not use; and each refusal with its code.
// Before that, which type of operation a request asks for, to route it.
import { buildSchema, parse, print } from 'graphql';
import { DEFAULT_OPERATION_LIMITS } from '../../operation-limits';
import { planSubscription, requestedOperationType, type SubscriptionPlan } from '../operation';
import { LIVE_PAYMENT } from './live-payment';

const schema = buildSchema(`
  type Query { payment(id: ID!): Payment paymentTools: [String] }
  type Subscription { paymentUpdated(id: ID!): Payment! }
  type Payment { id: ID! status: String! events: [Event!]! }
  type Event { toStatus: String! }
`);

const plan = (query: string, variables?: Record<string, unknown>) => planSubscription(schema, { query, variables }, { hideSuggestions: false, limits: DEFAULT_OPERATION_LIMITS, live: LIVE_PAYMENT });
const codes = (planned: ReturnType<typeof plan>) => (Array.isArray(planned) ? planned.map((error) => error.extensions?.['code']) : 'planned');

test('the equivalent query keeps the alias, variables and payment fragments, and reads the changes under a free key', () => {
  const planned = plan(
    `subscription Follow($id: ID!) { ...Root }
     fragment Root on Subscription { live: paymentUpdated(id: $id) { ...F _paymentUpdatedChanges: id } }
     fragment F on Payment { state: status }`,
    { id: 'pay_1' },
  ) as SubscriptionPlan;
  expect(planned).toMatchObject({ entityId: 'pay_1', responseKey: 'live', patchKeys: ['state'], changesKey: '_paymentUpdatedChanges2', operationName: 'Follow' });
  // The fragment on Subscription has no place in a query: only the payment's selection is kept.
  expect(planned.query).toBe(
    print(
      parse(`query Follow($id: ID!) { live: payment(id: $id) { ...F _paymentUpdatedChanges: id _paymentUpdatedChanges2: events { toStatus } } }
             fragment F on Payment { state: status }`),
    ),
  );
});

test('a literal id needs no variables', () => {
  expect(plan('subscription { paymentUpdated(id: 42) { status } }')).toMatchObject({ entityId: '42', responseKey: 'paymentUpdated', patchKeys: ['status'] });
});

test.each([
  ['a query', '{ paymentTools }', undefined, 'OPERATION_NOT_SUPPORTED'],
  ['a syntax error', 'subscription {', undefined, 'GRAPHQL_PARSE_FAILED'],
  ['an unknown field', 'subscription { paymentUpdated(id: 1) { nothing } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
  ['a missing variable', 'subscription ($id: ID!) { paymentUpdated(id: $id) { id } }', {}, 'BAD_USER_INPUT'],
  ['two operations without a name', 'subscription A { paymentUpdated(id: 1) { id } } subscription B { paymentUpdated(id: 2) { id } }', undefined, 'OPERATION_RESOLUTION_FAILURE'],
])('%s is refused', (_name, query, variables, code) => {
  expect(codes(plan(query, variables))).toEqual([code]);
});

test.each([
  ['a subscription', { query: 'subscription { paymentUpdated(id: 1) { id } }' }, 'subscription'],
  ['a query', { query: '{ paymentTools }' }, 'query'],
  ['a mutation', { query: 'mutation { pay }' }, 'mutation'],
  ['the named one of several', { query: 'query A { a } subscription B { b }', operationName: 'B' }, 'subscription'],
  ['several, none named', { query: 'query A { a } subscription B { b }' }, null],
  ['text that does not parse', { query: 'subscription {' }, null],
  ['text over the limits, unparsed', { query: `subscription { ${'a { '.repeat(1000)}b${' }'.repeat(1000)} }` }, null],
  ['no query', { variables: {} }, null],
])('the operation type of %s', (_name, request, type) => {
  expect(requestedOperationType(request, DEFAULT_OPERATION_LIMITS)).toBe(type);
});
