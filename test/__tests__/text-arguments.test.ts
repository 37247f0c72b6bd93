// NUL (U+0000) in any string argument of any subgraph's queries and mutations
// (PostgreSQL cannot store it) is refused with BAD_USER_INPUT naming that
// argument, through the gateway, and changes nothing; the wallet webhook
// refuses it with 400. The operations are built from the subgraphs' own SDL,
// one per string leaf, so a new argument is covered without editing this file.
import { join } from 'node:path';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { loadTypeDefs } from '@interop/kit/server';
import { ROOT, startGraph, type Graph } from '@interop/testing/harness';
import { initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment, postWebhook } from '@interop/testing/payments-helpers';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 20 });
});

afterAll(async () => {
  await graph?.stop();
});

const NUL_TEXT = 'bad\u0000text';
const STRING_SCALARS = new Set(['String', 'ID']);

/** Paths of every string leaf of a value of `type`, like `input.reference`. */
function stringLeaves(type: GraphQLInputType, path: string): string[] {
  const named = getNamedType(type);
  if (isListType(isNonNullType(type) ? type.ofType : type)) {
    const item = (isNonNullType(type) ? type.ofType : type) as { ofType: GraphQLInputType };
    return stringLeaves(item.ofType, `${path}.0`);
  }
  if (isScalarType(named)) return STRING_SCALARS.has(named.name) ? [path] : [];
  if (isInputObjectType(named)) return Object.values(named.getFields()).flatMap((field) => stringLeaves(field.type, `${path}.${field.name}`));
  return [];
}

/** A valid-looking value of `type`, with NUL in the string at `nulAt`. */
function valueOf(type: GraphQLInputType, path: string, nulAt: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [valueOf(inner.ofType as GraphQLInputType, `${path}.0`, nulAt)];
  if (isScalarType(inner)) {
    if (STRING_SCALARS.has(inner.name)) return path === nulAt ? NUL_TEXT : 'x';
    return inner.name === 'Boolean' ? true : 1;
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  if (isInputObjectType(inner)) {
    return Object.fromEntries(Object.values(inner.getFields()).map((field) => [field.name, valueOf(field.type, `${path}.${field.name}`, nulAt)]));
  }
  throw new Error(`no value for ${String(type)}`);
}

interface Case {
  subgraph: string;
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  argument: string;
}

function casesFor(subgraph: string): Case[] {
  const schema = buildSubgraphSchema({ typeDefs: loadTypeDefs(join(ROOT, 'subgraphs', subgraph, 'schema.graphql')) });
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const;
  return roots.flatMap(([operation, root]) =>
    Object.values(root?.getFields() ?? {})
      .filter((field) => !field.name.startsWith('_'))
      .flatMap((field: GraphQLField<unknown, unknown>) => {
        const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : '{ __typename }';
        const declared = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
        const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const query = `${operation} (${declared}) { ${field.name}(${passed}) ${selection} }`;
        return field.args.flatMap((arg) =>
          stringLeaves(arg.type, arg.name).map((argument) => ({
            subgraph,
            operation: `${field.name}(${argument})`,
            query,
            variables: Object.fromEntries(field.args.map((each) => [each.name, valueOf(each.type, each.name, argument)])),
            argument,
          })),
        );
      }),
  );
}

const cases = ['commerce', 'merchants', 'payments'].flatMap(casesFor);

test('every subgraph has string arguments to check', () => {
  for (const subgraph of ['commerce', 'merchants', 'payments']) expect(cases.filter((each) => each.subgraph === subgraph).length).toBeGreaterThan(0);
});

test.each(cases.map((each) => [`${each.subgraph} ${each.operation}`, each] as const))('%s: NUL gives BAD_USER_INPUT naming the argument', async (_name, each) => {
  const response = await graph.query(each.query, each.variables);
  expect(response.errors?.map((error) => ({ code: error.extensions?.code, argument: error.extensions?.argument }))).toEqual([
    { code: 'BAD_USER_INPUT', argument: each.argument },
  ]);
});

test('NUL in arguments of nested fields is refused the same way', async () => {
  const merchant = await graph.query(`query ($after: String) { merchant(id: "m0000001") { payments(after: $after) { pageInfo { hasNextPage } } } }`, { after: NUL_TEXT });
  expect(merchant.errors?.map((error) => [error.extensions?.code, error.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'after']]);
  const platform = await graph.query(`query ($tool: ID!) { platform(id: "taobao") { acceptance(paymentToolId: $tool) { status } } }`, { tool: NUL_TEXT });
  expect(platform.errors?.map((error) => [error.extensions?.code, error.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'paymentToolId']]);
});

test('a signed wallet webhook with NUL in an id is refused with 400 and changes nothing', async () => {
  const created = await initiate(graph, { merchantId: await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO) });
  const paymentId = created.data?.initiatePayment.id ?? '';
  const event = { eventId: 'evt_nul_test', type: 'payment.succeeded', paymentId, amountMinor: 12_345, currency: 'CNY' };
  expect(await postWebhook(graph, { ...event, eventId: NUL_TEXT })).toBe(400);
  expect(await postWebhook(graph, { ...event, paymentId: NUL_TEXT })).toBe(400);
  expect((await payment(graph, paymentId))?.status).toBe('REQUIRES_ACTION');
});
