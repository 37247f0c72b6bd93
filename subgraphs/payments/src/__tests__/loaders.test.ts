// The payments DataLoaders: one store call per lookup kind per tick, answers
// in key order, repeated keys from the cache; and the resolvers use them so
// that many storefronts or tools cost one lookup per step.
import { createLogger } from '@interop/kit';
import { createSubgraphApollo } from '@interop/kit/server';
import { dataOf, execute } from '@interop/testing/operation';
import { TEST_TRUST } from '@interop/testing/identities';
import type { PaymentsContext } from '../context';
import { createLoaders } from '../loaders';
import { createPeerFacts, paymentsSubgraph, PaymentsStore } from '../server';
import { commerceStating, contextFor, openLedger, type TestLedger } from './test-context';

let store: PaymentsStore;
let ledger: TestLedger;

beforeAll(async () => {
  ledger = await openLedger();
});

afterAll(async () => {
  await ledger.drop();
});

beforeEach(() => {
  store = new PaymentsStore();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('tool', () => {
  test('keys loaded in one tick make one batch; results in key order with null for a missing key', async () => {
    const spy = jest.spyOn(store, 'toolsByIds');
    const loaders = createLoaders(store, ledger.ledger);
    const tools = await Promise.all(['wechat-pay', 'nope', 'alipay', 'e-cny'].map((id) => loaders.tool.load(id)));
    expect(spy.mock.calls).toEqual([[['wechat-pay', 'nope', 'alipay', 'e-cny']]]);
    expect(tools.map((tool) => tool?.id ?? null)).toEqual(['wechat-pay', null, 'alipay', 'e-cny']);
  });

  test('a repeated key is asked once and served from the cache afterwards', async () => {
    const spy = jest.spyOn(store, 'toolsByIds');
    const loaders = createLoaders(store, ledger.ledger);
    const [a, , c] = await Promise.all([loaders.tool.load('alipay'), loaders.tool.load('hebao'), loaders.tool.load('alipay')]);
    expect(c).toBe(a);
    expect(await loaders.tool.loadMany(['alipay', 'hebao'])).toHaveLength(2);
    expect(spy.mock.calls).toEqual([[['alipay', 'hebao']]]);
  });
});

test('interoperatingToolIds batches a tick into one call and answers in key order', async () => {
  const spy = jest.spyOn(store, 'interoperatingToolIds');
  const loaders = createLoaders(store, ledger.ledger);
  const results = await Promise.all(['e-cny', 'nope', 'wechat-pay', 'e-cny'].map((id) => loaders.interoperatingToolIds.load(id)));
  expect(spy.mock.calls).toEqual([[['e-cny', 'nope', 'wechat-pay']]]);
  expect(results).toEqual([['wechat-pay'], [], ['e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wing-pay'], ['wechat-pay']]);
});

describe('through the resolvers', () => {
  const server = createSubgraphApollo<PaymentsContext>(paymentsSubgraph, createLogger('test'));
  const peers = createPeerFacts({ commerceUrl: 'http://127.0.0.1:1/graphql', merchantsUrl: 'http://127.0.0.1:1/graphql', peerTimeoutMs: 300, trust: TEST_TRUST });

  afterAll(async () => {
    await server.stop();
  });

  test('options for 30 storefronts look up the tool catalogue in one store call', async () => {
    const spy = jest.spyOn(store, 'toolsByIds');
    const rules = ['alipay', 'wechat-pay', 'hebao', 'nope'].map((id, index) => ({
      tool: { id },
      status: 'LIVE',
      requiresMerchantOptIn: false,
      checkoutRank: index + 1,
    }));
    const commerce = commerceStating(new Map([['taobao', rules]]));
    const representations = Array.from({ length: 30 }, (_, index) => ({
      __typename: 'Storefront',
      id: `m${String(index + 1).padStart(7, '0')}:taobao`,
      platform: { id: 'taobao' },
      merchant: { status: 'ACTIVE', eligible: true },
      enrolledTools: [],
    }));
    const result = await execute<{ _entities: { paymentOptions: { tool: { id: string } }[] }[] }, PaymentsContext>(
      server,
      contextFor(store, peers, ledger.ledger),
      /* GraphQL */ `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Storefront { paymentOptions { tool { id name } } } }
      }`,
      { representations },
    );
    const entities = dataOf(result)._entities;
    expect(entities).toHaveLength(30);
    for (const entity of entities) expect(entity.paymentOptions.map((option) => option.tool.id)).toEqual(['alipay', 'wechat-pay', 'hebao']);
    // The rule weighs every tool in the catalogue (a checkout lists them all), in one call for all 30.
    expect(spy.mock.calls).toEqual([[store.toolIds()]]);
    // The platform's rules, once for all 30, in one call to commerce.
    expect(commerce.asked).toEqual([['taobao']]);
  });

  test('tools and their partners cost one lookup per step, partners already loaded served from the cache', async () => {
    const tools = jest.spyOn(store, 'toolsByIds');
    const partners = jest.spyOn(store, 'interoperatingToolIds');
    const result = await execute<{ _entities: { id: string; interoperatesWith: { id: string; name: string }[] }[] }, PaymentsContext>(
      server,
      contextFor(store, peers, ledger.ledger),
      /* GraphQL */ `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on PaymentTool { id interoperatesWith { id name } } }
      }`,
      { representations: ['wechat-pay', 'e-cny', 'hebao', 'alipay'].map((id) => ({ __typename: 'PaymentTool', id })) },
    );
    expect(dataOf(result)._entities.map((tool) => tool.interoperatesWith.length)).toEqual([5, 1, 1, 0]);
    expect(partners.mock.calls).toEqual([[['wechat-pay', 'e-cny', 'hebao', 'alipay']]]);
    // Step one: the references; step two: only the partners not loaded yet.
    expect(tools.mock.calls).toEqual([[['wechat-pay', 'e-cny', 'hebao', 'alipay']], [['jd-pay', 'unionpay-quickpass', 'wing-pay']]]);
  });
});
