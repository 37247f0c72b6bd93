/** @backend-contract merchants' resolvers over its store on each engine */
// The merchants subgraph through its resolvers, without HTTP, over a store of
// 200 generated demo merchants and the platforms' own stores after them (PGlite
// in memory, or a throwaway schema on DATABASE_URL):
// its federation SDL, the entities it resolves, and the merchant search with
// peers that fail or answer.
import { createLogger } from '@interop/kit';
import { createSubgraphApollo, SubgraphClient, type EntityRepresentation } from '@interop/kit/server';
import type { Queryable } from '@interop/kit/db';
import { merchantMayUse, type AcceptanceStatus } from '@interop/domain';
import { openTestMerchantsStore } from '@interop/testing/harness';
import { PARTNER_A, TEST_TRUST } from '@interop/testing/identities';
import { dataOf, entityKeys, errorsOf, execute } from '@interop/testing/operation';
import type { MerchantsContext } from '../context';
import { createContext, createPeerFacts, merchantsSubgraph, type MerchantsStore } from '../server';
import { PLATFORM_STORES } from '../store/demo-data';

const MERCHANT_COUNT = 200;
/** The generated merchants and, after them, one store of each platform that sells its own goods. */
const ALL_MERCHANTS = MERCHANT_COUNT + PLATFORM_STORES.length;
/** Nothing listens on port 1, so every peer request is refused at once. */
const CLOSED = 'http://127.0.0.1:1/graphql';

const server = createSubgraphApollo<MerchantsContext>(merchantsSubgraph, createLogger('test'));
let store: MerchantsStore;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ store, drop } = await openTestMerchantsStore(MERCHANT_COUNT));
});

afterAll(async () => {
  await server.stop();
  await drop?.();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const closedPeers = () => createPeerFacts({ commerceUrl: CLOSED, paymentsUrl: CLOSED, peerTimeoutMs: 300, trust: TEST_TRUST });

const run = <TData>(query: string, variables: Record<string, unknown> = {}) =>
  execute<TData, MerchantsContext>(server, createContext(store, closedPeers(), PARTNER_A.caller), query, variables);

/** Merchant ids straight from the store's tables, in id order. */
async function idsWhere(where: string): Promise<string[]> {
  const rows = await store.db.query<{ id: string }>(`SELECT m.id FROM merchant m WHERE ${where} ORDER BY m.seq`);
  return rows.map((row) => row.id);
}

type Connection = {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

test('_service.sdl declares the entity keys merchants owns or references', async () => {
  const { _service } = dataOf(await run<{ _service: { sdl: string } }>(/* GraphQL */ `{ _service { sdl } }`));
  expect(entityKeys(_service.sdl)).toEqual({ Merchant: ['id'], Storefront: ['id'], Platform: ['id'], PaymentTool: ['id'] });
});

describe('_entities', () => {
  type Storefront = { id: string; platform: { id: string }; merchant: { id: string }; openedOn: string; enrolledTools: { id: string }[] };
  type Merchant = { id: string; name: string; status: string; eligible: boolean; category: string; city: string; storefronts: Storefront[]; taobao: { id: string } | null };

  const MERCHANTS = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Merchant {
          id name status eligible category city
          storefronts { id platform { id } merchant { id } openedOn enrolledTools { id } }
          taobao: storefront(platformId: "taobao") { id }
        }
      }
    }
  `;

  test('Merchant: known ids resolve in order, as the tables say; unknown ids are null', async () => {
    // m0000201 is the first platform's own store, right after the generated merchants; m0000203 is past the last store.
    const ids = ['m0000002', 'nope', 'm0000200', 'm0000201', 'm0000203'];
    const { _entities } = dataOf(
      await run<{ _entities: (Merchant | null)[] }>(MERCHANTS, { representations: ids.map((id) => ({ __typename: 'Merchant', id })) }),
    );
    expect(_entities.map((merchant) => merchant?.id ?? null)).toEqual(['m0000002', null, 'm0000200', 'm0000201', null]);
    for (const merchant of _entities) {
      if (!merchant) continue;
      const [row] = await store.db.query<{ name: string; status: string; eligible: boolean; category: string; city: string }>(
        'SELECT name, status, eligible, category, city FROM merchant WHERE id = $1',
        [merchant.id],
      );
      expect(merchant).toMatchObject({ ...row });
      const storefronts = await store.db.query<{ platform_id: string; tools: string[] }>(
        `SELECT s.platform_id,
                coalesce((SELECT array_agg(e.tool_id ORDER BY e.tool_id) FROM enrolment e
                          WHERE e.merchant_seq = s.merchant_seq AND e.platform_id = s.platform_id AND e.status = 'ACTIVE'), '{}') AS tools
         FROM storefront s JOIN merchant m ON m.seq = s.merchant_seq WHERE m.id = $1 ORDER BY s.platform_id`,
        [merchant.id],
      );
      expect(storefronts.length).toBeGreaterThan(0);
      expect(merchant.storefronts.map((s) => [s.id, s.platform.id, s.merchant.id, s.enrolledTools.map((t) => t.id)])).toEqual(
        storefronts.map((s) => [`${merchant.id}:${s.platform_id}`, s.platform_id, merchant.id, s.tools]),
      );
      for (const storefront of merchant.storefronts) expect(storefront.openedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(merchant.taobao).toEqual(storefronts.some((s) => s.platform_id === 'taobao') ? { id: `${merchant.id}:taobao` } : null);
    }
  });

  const STOREFRONTS = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Storefront { id platform { id } merchant { id status } openedOn enrolledTools { id } }
      }
    }
  `;

  test('Storefront by id: m0000001:taobao resolves; ids that name nothing are null', async () => {
    const ids = ['m0000001:taobao', 'm0000001:nope', 'nope:taobao', 'garbage', 'm0000001:taobao:x', ':taobao', 'm0000001:'];
    const { _entities } = dataOf(
      await run<{ _entities: (Storefront | null)[] }>(STOREFRONTS, { representations: ids.map((id) => ({ __typename: 'Storefront', id })) }),
    );
    const [taobao, ...unknown] = _entities;
    expect(taobao).toMatchObject({ id: 'm0000001:taobao', platform: { id: 'taobao' }, merchant: { id: 'm0000001', status: 'ACTIVE' } });
    expect(taobao?.openedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(unknown).toEqual(ids.slice(1).map(() => null));
  });

  test('Storefront: enrolled tools are those the merchant opened on that platform and whose enrolment is ACTIVE', async () => {
    const enrolledWith = (status: string) =>
      `EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.platform_id = 'taobao' AND e.status = '${status}')`;
    const [enrolled] = await idsWhere(enrolledWith('ACTIVE'));
    const [closed] = await idsWhere(enrolledWith('INACTIVE'));
    const [notEnrolled] = await idsWhere(
      `EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')
       AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)`,
    );
    const { _entities } = dataOf(
      await run<{ _entities: (Storefront | null)[] }>(STOREFRONTS, {
        representations: [`${enrolled}:taobao`, `${closed}:taobao`, `${notEnrolled}:taobao`].map((id) => ({ __typename: 'Storefront', id })),
      }),
    );
    expect(_entities.map((storefront) => storefront?.enrolledTools)).toEqual([[{ id: 'wechat-pay' }], [], []]);
  });

  describe("Storefront.platform provides the platform's name, commerce's fact", () => {
    const NAMES = /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Storefront { id platform { id name } } }
      }
    `;
    /** Commerce answering `PlatformName` with an upper-cased id; `asked` lists the platform ids of each request. */
    function commerceNaming(): string[][] {
      const asked: string[][] = [];
      jest.spyOn(SubgraphClient.prototype, 'request').mockImplementation(async function (this: SubgraphClient, query: string, variables?: Record<string, unknown>) {
        if (this.name !== 'commerce' || !query.includes('...PlatformName')) throw new Error(`unexpected request to ${this.name}`);
        const ids = ((variables?.['representations'] ?? []) as EntityRepresentation[]).map((representation) => String(representation.id));
        asked.push(ids);
        return { _entities: ids.map((id) => ({ name: id.toUpperCase() })) } as never;
      });
      return asked;
    }

    test('not held, the names of a request are asked of commerce once for all its storefronts', async () => {
      // The first merchants' storefronts: several on each of a few platforms.
      const rows = await store.db.query<{ id: string }>(
        `SELECT m.id || ':' || s.platform_id AS id FROM merchant m JOIN storefront s ON s.merchant_seq = m.seq WHERE m.seq <= 6 ORDER BY m.seq, s.platform_id`,
      );
      const ids = rows.map((row) => row.id);
      const platformIds = new Set(ids.map((id) => id.split(':')[1]));
      expect(ids.length).toBeGreaterThan(platformIds.size);
      const asked = commerceNaming();
      const { _entities } = dataOf(
        await run<{ _entities: { id: string; platform: { id: string; name: string } }[] }>(NAMES, { representations: ids.map((id) => ({ __typename: 'Storefront', id })) }),
      );
      expect(_entities.map((storefront) => storefront.platform)).toEqual(ids.map((id) => ({ id: id.split(':')[1], name: id.split(':')[1]!.toUpperCase() })));
      expect(asked).toHaveLength(1);
      expect(new Set(asked[0])).toEqual(platformIds);
    });

    test('while commerce cannot be reached, the name alone is null with DEPENDENCY_UNAVAILABLE naming commerce; the storefront stands', async () => {
      const result = await run<{ _entities: { id: string; platform: { id: string; name: string | null } }[] }>(NAMES, {
        representations: [{ __typename: 'Storefront', id: 'm0000001:taobao' }],
      });
      expect(result.data?._entities).toEqual([{ id: 'm0000001:taobao', platform: { id: 'taobao', name: null } }]);
      expect(errorsOf(result)).toEqual([{ code: 'DEPENDENCY_UNAVAILABLE', path: ['_entities', 0, 'platform', 'name'], dependency: 'commerce' }]);
    });
  });

  test('Platform: merchants on the platform, paged in id order, without asking commerce', async () => {
    const onTaobao = await idsWhere(`EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`);
    const { _entities } = dataOf(
      await run<{ _entities: { id: string; merchants: Connection }[] }>(
        /* GraphQL */ `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Platform { id merchants(first: 5) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
          }
        }`,
        { representations: [{ __typename: 'Platform', id: 'taobao' }] },
      ),
    );
    const [platform] = _entities;
    expect(platform?.id).toBe('taobao');
    expect(platform?.merchants.edges.map((edge) => edge.node.id)).toEqual(onTaobao.slice(0, 5));
    expect(platform?.merchants.totalCount).toBe(onTaobao.length);
    expect(platform?.merchants.pageInfo).toEqual({ hasNextPage: true, endCursor: platform?.merchants.edges.at(-1)?.cursor });
  });
});

describe('root queries', () => {
  test('merchant(id) finds one merchant; an unknown id is null without an error', async () => {
    const result = await run(/* GraphQL */ `{ one: merchant(id: "m0000001") { id status } nope: merchant(id: "nope") { id } }`);
    expect(dataOf(result)).toEqual({ one: { id: 'm0000001', status: 'ACTIVE' }, nope: null });
  });

  test('merchants walks every merchant once, in id order, page by page', async () => {
    const PAGE = /* GraphQL */ `query ($after: String) {
      merchants(first: 70, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    const pages: number[] = [];
    for (let guard = 0; guard < 10; guard += 1) {
      const { merchants }: { merchants: Connection } = dataOf(await run<{ merchants: Connection }>(PAGE, { after }));
      expect(merchants.totalCount).toBe(ALL_MERCHANTS);
      expect(merchants.pageInfo.endCursor).toBe(merchants.edges.at(-1)?.cursor ?? null);
      pages.push(merchants.edges.length);
      seen.push(...merchants.edges.map((edge) => edge.node.id));
      if (!merchants.pageInfo.hasNextPage) break;
      after = merchants.pageInfo.endCursor;
    }
    expect(pages).toEqual([70, 70, ALL_MERCHANTS - 140]);
    expect(seen).toEqual(await idsWhere('true'));
  });

  test('first defaults to 20; first 0 gives an empty page that still has a next page', async () => {
    const result = await run<{ all: Connection; none: Connection }>(/* GraphQL */ `{
      all: merchants { edges { node { id } } pageInfo { hasNextPage } }
      none: merchants(first: 0) { edges { node { id } } pageInfo { hasNextPage endCursor } }
    }`);
    const { all, none } = dataOf(result);
    expect(all.edges).toHaveLength(20);
    expect(none).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  test.each([
    ['first below 0', /* GraphQL */ `{ merchants(first: -1) { totalCount } }`, 'first', ['merchants']],
    ['first above 100', /* GraphQL */ `{ merchants(first: 101) { totalCount } }`, 'first', ['merchants']],
    ['a malformed cursor', /* GraphQL */ `{ merchants(after: "not-a-cursor") { totalCount } }`, 'after', ['merchants']],
    ['a forged cursor', `{ merchants(after: "${Buffer.from('k:-5').toString('base64url')}") { totalCount } }`, 'after', ['merchants']],
  ])('%s is BAD_USER_INPUT naming the argument', async (_name, query, argument, path) => {
    const result = await run(query);
    // The root field is nullable, so the failing one is null and the rest of a response would stand.
    expect(result.data).toEqual({ merchants: null });
    expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path, argument }]);
  });

  test('Platform.merchants validates its page arguments too', async () => {
    const result = await run(
      /* GraphQL */ `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Platform { merchants(first: 500) { totalCount } } } }`,
      { r: [{ __typename: 'Platform', id: 'taobao' }] },
    );
    expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['_entities', 0, 'merchants'], argument: 'first' }]);
  });

  describe('with peers that do not answer', () => {
    test.each([
      ['merchants(acceptsToolId)', /* GraphQL */ `{ merchants(acceptsToolId: "wechat-pay") { totalCount } }`, ['merchants']],
      ['merchants(platformId, acceptsToolId)', /* GraphQL */ `{ merchants(platformId: "taobao", acceptsToolId: "wechat-pay") { edges { node { id } } } }`, ['merchants']],
      ['merchants(platformId)', /* GraphQL */ `{ merchants(platformId: "taobao") { totalCount } }`, ['merchants']],
    ])('%s is DEPENDENCY_UNAVAILABLE, at once', async (_name, query, path) => {
      const started = performance.now();
      const result = await run(query);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(result.data).toEqual({ merchants: null });
      const [error, ...others] = errorsOf(result);
      expect(others).toEqual([]);
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', path });
      expect(['commerce', 'payments']).toContain(error?.dependency);
    });

    test('Platform.merchants(acceptsToolId) is DEPENDENCY_UNAVAILABLE', async () => {
      const result = await run(
        /* GraphQL */ `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Platform { merchants(acceptsToolId: "alipay") { totalCount } } } }`,
        { r: [{ __typename: 'Platform', id: 'taobao' }] },
      );
      expect(errorsOf(result)).toMatchObject([{ code: 'DEPENDENCY_UNAVAILABLE', path: ['_entities', 0, 'merchants'] }]);
    });

    test('a filter-free search does not need the peers', async () => {
      expect(dataOf(await run<{ merchants: Connection }>(/* GraphQL */ `{ merchants(first: 1) { totalCount } }`)).merchants.totalCount).toBe(
        ALL_MERCHANTS,
      );
    });
  });

  describe('with peers that answer', () => {
    type Rule = { platform: { id: string }; status: AcceptanceStatus; requiresMerchantOptIn: boolean; checkoutRank: number };
    const WECHAT_RULES: Rule[] = [
      { platform: { id: 'taobao' }, status: 'ROLLING_OUT', requiresMerchantOptIn: true, checkoutRank: 2 },
      { platform: { id: 'jd' }, status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 2 },
      { platform: { id: 'ele-me' }, status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 2 },
      { platform: { id: 'kaola' }, status: 'PILOT', requiresMerchantOptIn: false, checkoutRank: 2 },
      { platform: { id: 'damai' }, status: 'SUSPENDED', requiresMerchantOptIn: false, checkoutRank: 2 },
    ];
    const KNOWN_PLATFORMS = new Set(['taobao', 'jd', 'ele-me', 'kaola', 'damai', 'meituan-waimai', 'meituan-hotels']);

    /** Commerce and payments answer from these facts; anything else they do not know. */
    function peersAnswer(tool: { operationalStatus: string } | null, rules: Rule[]) {
      jest.spyOn(SubgraphClient.prototype, 'request').mockImplementation(async function (this: SubgraphClient, query: string, variables?: Record<string, unknown>) {
        const [representation] = (variables?.['representations'] ?? []) as EntityRepresentation[];
        if (this.name === 'payments') return { _entities: [tool] } as never;
        if (query.includes('...PlatformName')) return { _entities: [KNOWN_PLATFORMS.has(String(representation?.id)) ? { name: representation?.id } : null] } as never;
        return { _entities: [{ acceptedOn: rules }] } as never;
      });
    }

    /** The merchants a buyer can pay with the tool, by the domain rule applied to every storefront in the tables. */
    async function expectedAccepting(toolId: string, rules: Rule[], platformId?: string): Promise<string[]> {
      const rows = await store.db.query<{ id: string; status: 'ACTIVE' | 'SUSPENDED'; eligible: boolean; platform_id: string; tools: string[] }>(
        `SELECT m.id, m.status, m.eligible, s.platform_id,
                coalesce((SELECT array_agg(e.tool_id) FROM enrolment e
                          WHERE e.merchant_seq = s.merchant_seq AND e.platform_id = s.platform_id AND e.status = 'ACTIVE'), '{}') AS tools
         FROM merchant m JOIN storefront s ON s.merchant_seq = m.seq ORDER BY m.seq`,
      );
      const accepting = new Set<string>();
      for (const row of rows) {
        if (platformId !== undefined && row.platform_id !== platformId) continue;
        const rule = rules.find((r) => r.platform.id === row.platform_id);
        if (!rule) continue;
        const facts = { merchantStatus: row.status, merchantEligible: row.eligible, enrolledToolIds: row.tools };
        if (merchantMayUse({ ...rule, toolId }, facts)) accepting.add(row.id);
      }
      return [...accepting];
    }

    async function allPages(filter: string): Promise<{ ids: string[]; totalCount: number }> {
      const ids: string[] = [];
      let after: string | null = null;
      let totalCount = -1;
      for (let guard = 0; guard < 10; guard += 1) {
        const { merchants }: { merchants: Connection } = dataOf(
          await run<{ merchants: Connection }>(
            `query ($after: String) { merchants(${filter}, first: 100, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
            { after },
          ),
        );
        totalCount = merchants.totalCount;
        ids.push(...merchants.edges.map((edge) => edge.node.id));
        if (!merchants.pageInfo.hasNextPage) break;
        after = merchants.pageInfo.endCursor;
      }
      return { ids, totalCount };
    }

    beforeAll(async () => {
      // Edge cases the generator does not make: an ineligible merchant and a suspended one, both opted in on Taobao.
      await store.db.exec(`
        UPDATE merchant SET eligible = false, status = 'ACTIVE' WHERE id = (
          SELECT m.id FROM merchant m JOIN enrolment e ON e.merchant_seq = m.seq WHERE m.status = 'ACTIVE' AND e.status = 'ACTIVE' ORDER BY m.seq LIMIT 1);
        UPDATE merchant SET status = 'SUSPENDED' WHERE id = (
          SELECT m.id FROM merchant m JOIN enrolment e ON e.merchant_seq = m.seq WHERE m.status = 'ACTIVE' AND m.eligible AND e.status = 'ACTIVE' ORDER BY m.seq LIMIT 1);
      `);
    });

    test('acceptsToolId keeps exactly the merchants the checkout rule lets take the tool', async () => {
      peersAnswer({ operationalStatus: 'OPERATIONAL' }, WECHAT_RULES);
      const expected = await expectedAccepting('wechat-pay', WECHAT_RULES);
      expect(expected.length).toBeGreaterThan(0);
      expect(await allPages('acceptsToolId: "wechat-pay"')).toEqual({ ids: expected, totalCount: expected.length });
    });

    test('platformId with acceptsToolId narrows to that platform, opt-in included', async () => {
      peersAnswer({ operationalStatus: 'OPERATIONAL' }, WECHAT_RULES);
      const expected = await expectedAccepting('wechat-pay', WECHAT_RULES, 'taobao');
      const enrolledOnTaobao = await idsWhere(
        `EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.platform_id = 'taobao' AND e.status = 'ACTIVE')`,
      );
      // Some opted-in merchants are left out (suspended or no longer eligible), and none that did not opt in (or closed it) are kept.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(enrolledOnTaobao.length);
      expect(expected.every((id) => enrolledOnTaobao.includes(id))).toBe(true);
      expect(await allPages('platformId: "taobao", acceptsToolId: "wechat-pay"')).toEqual({ ids: expected, totalCount: expected.length });
    });

    test('a tool payments has suspended reaches no merchant', async () => {
      peersAnswer({ operationalStatus: 'SUSPENDED' }, WECHAT_RULES);
      expect(await allPages('acceptsToolId: "wechat-pay"')).toEqual({ ids: [], totalCount: 0 });
    });

    test.each([
      ['an unknown platform', `{ merchants(platformId: "nope") { totalCount } }`, 'platformId'],
      ['an unknown tool', `{ merchants(acceptsToolId: "nope") { totalCount } }`, 'acceptsToolId'],
    ])('%s is BAD_USER_INPUT naming the argument', async (_name, query, argument) => {
      peersAnswer(null, []);
      const result = await run(query);
      expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['merchants'], argument }]);
    });
  });
});

describe('merchants(nameContains)', () => {
  const PAGE = /* GraphQL */ `query ($name: String, $after: String) {
    merchants(nameContains: $name, first: 100, after: $after) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } }
  }`;

  /** Every page of a name search: the ids in order, and the totalCount each page reported. */
  async function search(name: string): Promise<{ ids: string[]; names: string[]; totalCount: number }> {
    const ids: string[] = [];
    const names: string[] = [];
    let totalCount = -1;
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      type Page = { merchants: Omit<Connection, 'edges'> & { edges: { node: { id: string; name: string } }[] } };
      const { merchants }: Page = dataOf(await run<Page>(PAGE, { name, after }));
      totalCount = merchants.totalCount;
      ids.push(...merchants.edges.map((edge) => edge.node.id));
      names.push(...merchants.edges.map((edge) => edge.node.name));
      if (!merchants.pageInfo.hasNextPage) break;
      after = merchants.pageInfo.endCursor;
    }
    return { ids, names, totalCount };
  }

  test('keeps exactly the merchants whose name holds the text, in any case, in id order, without asking the peers', async () => {
    const expected = await idsWhere(`position('tea shop' in lower(m.name)) > 0`);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(MERCHANT_COUNT);
    for (const text of ['tea shop', 'TEA SHOP', 'tEa Sh', '  tea shop  ']) {
      const found = await search(text);
      expect(found.ids).toEqual(text === 'tEa Sh' ? await idsWhere(`position('tea sh' in lower(m.name)) > 0`) : expected);
      expect(found.totalCount).toBe(found.ids.length);
    }
  });

  test('finds the platforms’ own stores by name', async () => {
    expect((await search('youku')).names).toEqual(['Youku VIP Membership']);
    expect((await search('bookstore')).names).toEqual(['Shuqi Bookstore']);
  });

  test('% and _ are characters like any other, not wildcards; text no name holds finds nothing', async () => {
    for (const text of ['%', '_', 'a%e', 'Jade_', '\\', 'no merchant is called this']) {
      expect(await search(text)).toEqual({ ids: [], names: [], totalCount: 0 });
    }
  });

  test('narrows a platform’s merchants, on Platform.merchants too', async () => {
    const expected = await idsWhere(
      `position('golden' in lower(m.name)) > 0 AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`,
    );
    expect(expected.length).toBeGreaterThan(0);
    const { _entities } = dataOf(
      await run<{ _entities: { merchants: Connection }[] }>(
        /* GraphQL */ `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Platform { merchants(nameContains: "Golden", first: 100) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }`,
        { r: [{ __typename: 'Platform', id: 'taobao' }] },
      ),
    );
    expect(_entities[0]?.merchants.edges.map((edge) => edge.node.id)).toEqual(expected);
    expect(_entities[0]?.merchants.totalCount).toBe(expected.length);
  });

  test.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['longer than 100 characters', 'a'.repeat(101)],
    ['holding NUL', 'tea\u0000shop'],
  ])('%s is BAD_USER_INPUT naming nameContains', async (_name, text) => {
    const result = await run(PAGE, { name: text });
    expect(result.data).toEqual({ merchants: null });
    expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['merchants'], argument: 'nameContains' }]);
  });

  test('100 characters is still a search', async () => {
    expect((await search(`${'a'.repeat(99)}b`)).totalCount).toBe(0);
  });

  test('the search reads the trigram index on names, for the page and for its count', async () => {
    const statements: { sql: string; params: readonly unknown[] }[] = [];
    const recorded = (on: Queryable['query']): Queryable['query'] => (sql, params) => {
      statements.push({ sql, params: params ?? [] });
      return on(sql, params);
    };
    const query = store.db.query.bind(store.db);
    const transaction = store.db.transaction.bind(store.db);
    jest.spyOn(store.db, 'query').mockImplementation(recorded(query));
    // A search is planned for its values, in a transaction of its own (kit's queryPlannedPerCall).
    jest.spyOn(store.db, 'transaction').mockImplementation((work) => transaction((tx) => work({ exec: (sql) => tx.exec(sql), query: recorded((sql, params) => tx.query(sql, params)) })));
    dataOf(await run(`{ merchants(nameContains: "tea shop") { totalCount edges { node { id } } } }`));
    jest.restoreAllMocks();
    const searches = statements.filter((statement) => statement.sql.includes('ILIKE'));
    expect(searches).toHaveLength(2);
    for (const { sql, params } of searches) {
      // Two hundred merchants fit in a page or two, so the planner would rightly read them all; barred from that, it must have the index.
      const plan = await store.db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off');
        return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params as never);
      });
      expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on merchant_name_trigrams/);
    }
  });
});
