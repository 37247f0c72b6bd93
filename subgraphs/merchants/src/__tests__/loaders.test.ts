/** @backend-contract statements per batch on each engine */
// The merchants DataLoaders over the SQL store: one query per lookup kind per
// tick, answers in key order with null (or []) for a missing key, repeated keys
// from the cache; and 50 merchant entities cost one query per kind.
import { createLogger } from '@interop/kit';
import { createSubgraphApollo, encodeCursor } from '@interop/kit/server';
import { openTestMerchantsStore } from '@interop/testing/harness';
import { PARTNER_A, TEST_TRUST } from '@interop/testing/identities';
import { dataOf, execute } from '@interop/testing/operation';
import type { MerchantsContext } from '../context';
import { createLoaders } from '../loaders';
import { createContext, createPeerFacts, merchantsSubgraph, type MerchantsStore } from '../server';
import type { StorefrontRow } from '../store/types';

let store: MerchantsStore;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ store, drop } = await openTestMerchantsStore(200));
});

afterAll(async () => {
  await drop?.();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('merchant', () => {
  test('keys loaded in one tick make one batch', async () => {
    const spy = jest.spyOn(store, 'merchantsByIds');
    const loaders = createLoaders(store);
    const merchants = await Promise.all(['m0000001', 'm0000002', 'm0000003'].map((id) => loaders.merchant.load(id)));
    expect(spy.mock.calls).toEqual([[['m0000001', 'm0000002', 'm0000003']]]);
    expect(merchants.map((merchant) => merchant?.id)).toEqual(['m0000001', 'm0000002', 'm0000003']);
  });

  test('results come back in key order, whatever order the rows come in, with null for a missing key', async () => {
    const loaders = createLoaders(store);
    const merchants = await Promise.all(['m0000150', 'nope', 'm0000007', 'm0000999', 'm0000042'].map((id) => loaders.merchant.load(id)));
    expect(merchants.map((merchant) => merchant?.id ?? null)).toEqual(['m0000150', null, 'm0000007', null, 'm0000042']);
    expect(merchants[0]).toMatchObject({ seq: 150, id: 'm0000150' });
  });

  test('a repeated key in one request is served from the loader cache', async () => {
    const spy = jest.spyOn(store, 'merchantsByIds');
    const loaders = createLoaders(store);
    const [a, b, c] = await Promise.all([loaders.merchant.load('m0000005'), loaders.merchant.load('m0000006'), loaders.merchant.load('m0000005')]);
    expect(c).toBe(a);
    expect(b?.id).toBe('m0000006');
    expect(await loaders.merchant.load('m0000006')).toBe(b);
    expect(spy.mock.calls).toEqual([[['m0000005', 'm0000006']]]);
  });
});

describe('storefrontsByMerchant', () => {
  test('one batch, each merchant its storefronts by platform id, [] for a missing merchant', async () => {
    const spy = jest.spyOn(store, 'storefrontsByMerchantIds');
    const loaders = createLoaders(store);
    const lists = await Promise.all(['m0000004', 'nope', 'm0000002', 'm0000004'].map((id) => loaders.storefrontsByMerchant.load(id)));
    expect(spy.mock.calls).toEqual([[['m0000004', 'nope', 'm0000002']]]);
    expect(lists.map((list) => list.map((storefront) => storefront.id))).toEqual([
      ['m0000004:ele-me', 'm0000004:taobao'],
      [],
      ['m0000002:jd', 'm0000002:taobao'],
      ['m0000004:ele-me', 'm0000004:taobao'],
    ]);
    expect(lists[3]).toBe(lists[0]);
    expect(lists[0]?.[0]).toMatchObject({ merchantId: 'm0000004', merchantSeq: 4, platformId: 'ele-me' });
  });
});

describe('storefront', () => {
  test('composite keys batch once, equal keys share a cache entry, missing keys are null', async () => {
    const spy = jest.spyOn(store, 'storefrontsByKeys');
    const loaders = createLoaders(store);
    const storefronts = await Promise.all([
      loaders.storefront.load({ merchantId: 'm0000002', platformId: 'taobao' }),
      loaders.storefront.load({ merchantId: 'm0000001', platformId: 'jd' }),
      loaders.storefront.load({ merchantId: 'm0000002', platformId: 'jd' }),
      loaders.storefront.load({ merchantId: 'm0000002', platformId: 'taobao' }),
    ]);
    expect(spy.mock.calls).toEqual([
      [
        [
          { merchantId: 'm0000002', platformId: 'taobao' },
          { merchantId: 'm0000001', platformId: 'jd' },
          { merchantId: 'm0000002', platformId: 'jd' },
        ],
      ],
    ]);
    expect(storefronts.map((storefront) => storefront?.id ?? null)).toEqual(['m0000002:taobao', null, 'm0000002:jd', 'm0000002:taobao']);
    expect(storefronts[3]).toBe(storefronts[0]);
  });
});

describe('enrolledToolIds', () => {
  test('storefront rows batch once, keyed by storefront id, answers in key order', async () => {
    const [optedIn] = await store.db.query<{ id: string }>(
      `SELECT m.id FROM merchant m JOIN enrolment e ON e.merchant_seq = m.seq
       WHERE e.status = 'ACTIVE' AND m.id NOT IN ('m0000001', 'm0000002') ORDER BY m.seq LIMIT 1`,
    );
    const rows = (await store.storefrontsByMerchantIds([optedIn?.id ?? '', 'm0000002', 'm0000001'])).flat();
    const taobao = rows.find((row) => row.id === `${optedIn?.id}:taobao`);
    if (!taobao) throw new Error('expected an opted-in Taobao storefront');
    const unknown: StorefrontRow = { id: 'nope:taobao', merchantSeq: 999_999, merchantId: 'nope', platformId: 'taobao', openedOn: '2020-01-01', enrolledToolIds: [] };
    const spy = jest.spyOn(store, 'enrolledToolIds');
    const loaders = createLoaders(store);
    const keys = [...rows, unknown];
    // The same storefront as a fresh object is the same key.
    const results = await Promise.all([...keys, { ...taobao }].map((row) => loaders.enrolledToolIds.load(row)));
    expect(spy.mock.calls).toEqual([[keys]]);
    expect(results.at(-1)).toEqual(['wechat-pay']);
    expect(results[keys.indexOf(taobao)]).toEqual(['wechat-pay']);
    expect(results[keys.indexOf(unknown)]).toEqual([]);
    expect(results).toHaveLength(keys.length + 1);
  });
});

describe('through the resolvers', () => {
  const server = createSubgraphApollo<MerchantsContext>(merchantsSubgraph, createLogger('test'));
  const peers = createPeerFacts({ commerceUrl: 'http://127.0.0.1:1/graphql', paymentsUrl: 'http://127.0.0.1:1/graphql', peerTimeoutMs: 300, trust: TEST_TRUST });

  afterAll(async () => {
    await server.stop();
  });

  /** Counts the SQL statements the store sends while `work` runs. */
  async function statements<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    const spy = jest.spyOn(store.db, 'query');
    try {
      const result = await work();
      return { result, sql: spy.mock.calls.map(([sql]) => sql) };
    } finally {
      spy.mockRestore();
    }
  }

  test('_entities for 50 merchants with storefronts, enrolments and merchants costs one statement: the merchants are read with their storefronts', async () => {
    const spies = {
      merchantsWithStorefrontsByIds: jest.spyOn(store, 'merchantsWithStorefrontsByIds'),
      merchantsByIds: jest.spyOn(store, 'merchantsByIds'),
      storefrontsByMerchantIds: jest.spyOn(store, 'storefrontsByMerchantIds'),
      enrolledToolIds: jest.spyOn(store, 'enrolledToolIds'),
      storefrontsByKeys: jest.spyOn(store, 'storefrontsByKeys'),
    };
    const ids = Array.from({ length: 50 }, (_, index) => `m${String(index + 1).padStart(7, '0')}`);
    const { result, sql } = await statements(() =>
      execute<{ _entities: { id: string; storefronts: { enrolledTools: { id: string }[]; merchant: { status: string } }[] }[] }, MerchantsContext>(
        server,
        createContext(store, peers, PARTNER_A.caller),
        /* GraphQL */ `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Merchant { id storefronts { enrolledTools { id } merchant { status } } }
          }
        }`,
        { representations: ids.map((id) => ({ __typename: 'Merchant', id })) },
      ),
    );
    const merchants = dataOf(result)._entities;
    expect(merchants.map((merchant) => merchant.id)).toEqual(ids);
    const storefronts = merchants.flatMap((merchant) => merchant.storefronts);
    expect(storefronts.length).toBeGreaterThan(50);
    expect(storefronts.some((storefront) => storefront.enrolledTools.length > 0)).toBe(true);

    expect(spies.merchantsWithStorefrontsByIds.mock.calls).toEqual([[ids]]);
    // Each storefront came with its merchant and the tools it opted into.
    expect(spies.merchantsByIds).not.toHaveBeenCalled();
    expect(spies.storefrontsByMerchantIds).not.toHaveBeenCalled();
    expect(spies.enrolledToolIds).not.toHaveBeenCalled();
    expect(spies.storefrontsByKeys).not.toHaveBeenCalled();
    expect(sql).toHaveLength(1);
  });

  test('_entities for merchants without their storefronts reads the merchants alone', async () => {
    const withStorefronts = jest.spyOn(store, 'merchantsWithStorefrontsByIds');
    const ids = ['m0000001', 'm0000002'];
    const { result, sql } = await statements(() =>
      execute<{ _entities: { id: string; status: string }[] }, MerchantsContext>(
        server,
        createContext(store, peers, PARTNER_A.caller),
        /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Merchant { id status } } }`,
        { representations: ids.map((id) => ({ __typename: 'Merchant', id })) },
      ),
    );
    expect(dataOf(result)._entities.map((merchant) => merchant.id)).toEqual(ids);
    expect(withStorefronts).not.toHaveBeenCalled();
    expect(sql).toHaveLength(1);
  });

  const PAGE_STOREFRONTS = 'storefronts { __typename id platform { __typename id } merchant { status eligible } enrolledTools { id } }';
  type PageAnswer = { _entities: { merchants: { edges: { node: { id: string; storefronts: unknown[] } }[] } }[] };
  const page = (selection: string, fragments = '') =>
    execute<PageAnswer, MerchantsContext>(
      server,
      createContext(store, peers, PARTNER_A.caller),
      /* GraphQL */ `query ($representations: [_Any!]!, $after: String) {
        _entities(representations: $representations) { ... on Platform { merchants(first: 50, after: $after) { ${selection} } } }
      } ${fragments}`,
      { representations: [{ __typename: 'Platform', id: 'taobao' }], after: encodeCursor(3) },
    );

  test('a page of 50 merchants with their storefronts, merchants and opt-ins is one statement, and answers as the storefronts read on their own do', async () => {
    const { result, sql } = await statements(() => page(`edges { node { id ${PAGE_STOREFRONTS} } }`));
    const nodes = dataOf(result)._entities[0]?.merchants.edges.map((edge) => edge.node) ?? [];
    expect(nodes).toHaveLength(50);
    expect(nodes.flatMap((node) => node.storefronts).length).toBeGreaterThan(50);
    expect(sql).toHaveLength(1);

    // The same merchants as entities read their storefronts with storefrontsByMerchantIds.
    const entities = await execute<{ _entities: { id: string; storefronts: unknown[] }[] }, MerchantsContext>(
      server,
      createContext(store, peers, PARTNER_A.caller),
      /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Merchant { id ${PAGE_STOREFRONTS} } } }`,
      { representations: nodes.map((node) => ({ __typename: 'Merchant', id: node.id })) },
    );
    expect(dataOf(entities)._entities).toEqual(nodes);
  });

  test('a page reads its storefronts with it when they are asked through fragments, and does not read them when they are not asked', async () => {
    const withStorefronts = jest.spyOn(store, 'listMerchantsWithStorefronts');
    const alone = jest.spyOn(store, 'listMerchants');
    const throughFragments = await statements(() =>
      page('...Edges', `fragment Edges on MerchantConnection { edges { node { ... on Merchant { ...Fronts } } } } fragment Fronts on Merchant { ${PAGE_STOREFRONTS} }`),
    );
    expect(dataOf(throughFragments.result)._entities[0]?.merchants.edges.every((edge) => edge.node.storefronts.length > 0)).toBe(true);
    expect(throughFragments.sql).toHaveLength(1);
    expect(withStorefronts).toHaveBeenCalledTimes(1);
    expect(alone).not.toHaveBeenCalled();

    const namesOnly = await statements(() => page('edges { node { id } } pageInfo { hasNextPage }'));
    expect(dataOf(namesOnly.result)._entities[0]?.merchants.edges).toHaveLength(50);
    expect(namesOnly.sql).toHaveLength(1);
    expect(withStorefronts).toHaveBeenCalledTimes(1);
    expect(alone).toHaveBeenCalledTimes(1);
  });

  test('a merchant and its storefront, as payments asks for a checkout, are two statements', async () => {
    const { result, sql } = await statements(() =>
      execute<{ _entities: ({ status: string } | { enrolledTools: { id: string }[] })[] }, MerchantsContext>(
        server,
        createContext(store, peers, PARTNER_A.caller),
        /* GraphQL */ `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on Merchant { status eligible } ... on Storefront { enrolledTools { id } } }
        }`,
        { representations: [{ __typename: 'Merchant', id: 'm0000002' }, { __typename: 'Storefront', id: 'm0000002:taobao' }] },
      ),
    );
    expect(dataOf(result)._entities).toHaveLength(2);
    expect(sql).toHaveLength(2);
  });
});
