// The gateway plans with incremental delivery enabled (@defer): an operation
// without @defer gets the same query plan as before, on this graph's own
// operations (the bench's, with fragments, conditions and a mutation among them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { operations, TRAFFICS } from '../../bench/operations';
import { servableSupergraph } from '../../gateway/src/subgraph-enforced-security';
import { ROOT } from '@interop/testing/harness';

// As the gateway loads it.
const supergraph = Supergraph.build(servableSupergraph(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8')));
const apiSchema = supergraph.apiSchema();
const stock = new QueryPlanner(supergraph);
const deferring = new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } });

const OTHERS = [
  'query Conditional($full: Boolean!) { platform(id: "taobao") { name merchants(first: 5) @include(if: $full) { edges { node { id name storefronts { platform { name } } } } } } }',
  'fragment Tool on PaymentTool { id name provider } query WithFragments { paymentTools { ...Tool interoperatesWith { ...Tool } } platforms { acceptedPaymentTools { tool { ...Tool } } } }',
];

const benchQueries = TRAFFICS.flatMap((traffic) => operations(1000, traffic).map((operation) => (JSON.parse(operation.body(0)) as { query: string }).query));
const queries = [...new Set([...benchQueries, ...OTHERS])];

test.each(queries)('the plan of %s is the same with @defer enabled', (query) => {
  const plan = (planner: QueryPlanner) => JSON.stringify(planner.buildQueryPlan(operationFromDocument(apiSchema, parse(query))).node);
  expect(plan(deferring)).toBe(plan(stock));
});
