// The whole graph over HTTP through the gateway: the public contract, the
// story's facts, the checkout rule across three subgraphs, and bad input.
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from '../../gateway/src/example-operation';
import { startGraph, type Graph } from '@interop/testing/harness';
import { initiate } from '@interop/testing/payments-helpers';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 400 });
});

afterAll(async () => {
  await graph?.stop();
});

async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await graph.query<T>(query, variables);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data as T;
}

async function errorCodes(query: string, variables?: Record<string, unknown>) {
  const response = await graph.query(query, variables);
  return (response.errors ?? []).map((error) => ({ code: error.extensions?.code, argument: error.extensions?.argument }));
}

/** Merchant ids straight from the merchants store, for picking test subjects. */
async function merchantIds(where: string): Promise<string[]> {
  const rows = await graph.stores.merchants.db.query<{ id: string }>(
    `SELECT m.id FROM merchant m WHERE ${where} ORDER BY m.seq LIMIT 5`,
  );
  return rows.map((row) => row.id);
}

describe('public ids', () => {
  test('platforms and payment tools carry the contract ids', async () => {
    const result = await data<{ platforms: { id: string }[]; paymentTools: { id: string }[] }>(
      /* GraphQL */ `{ platforms { id } paymentTools { id } }`,
    );
    expect(result.platforms.map((p) => p.id).sort()).toEqual(
      ['alipay-app', 'damai', 'ele-me', 'jd', 'kaola', 'meituan-hotels', 'meituan-waimai', 'shuqi', 'taobao', 'youku'],
    );
    expect(result.paymentTools.map((t) => t.id).sort()).toEqual(
      ['alipay', 'e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wechat-pay', 'wing-pay'],
    );
  });

  test('unknown ids give null', async () => {
    const result = await data<Record<string, unknown>>(
      /* GraphQL */ `{ platform(id: "nope") { id } paymentTool(id: "nope") { id } merchant(id: "nope") { id } }`,
    );
    expect(result).toEqual({ platform: null, paymentTool: null, merchant: null });
  });
});

describe('facts from the story', () => {
  type Acceptance = {
    tool: { id: string; name: string };
    status: string;
    since: string | null;
    requiresMerchantOptIn: boolean;
    checkoutRank: number;
    source: string;
    history: { status: string; date: string | null }[];
  };

  async function acceptances(platformId: string): Promise<Acceptance[]> {
    const result = await data<{ platform: { acceptedPaymentTools: Acceptance[] } }>(
      /* GraphQL */ `query ($id: ID!) {
        platform(id: $id) {
          acceptedPaymentTools { tool { id name } status since requiresMerchantOptIn checkoutRank source history { status date } }
        }
      }`,
      { id: platformId },
    );
    return result.platform.acceptedPaymentTools;
  }

  test('Taobao: Alipay first, WeChat Pay rolling out since 2024-09-04 with merchant opt-in', async () => {
    const taobao = await acceptances('taobao');
    expect(taobao[0]).toMatchObject({ tool: { id: 'alipay', name: 'Alipay' }, status: 'LIVE', checkoutRank: 1 });
    const wechat = taobao.find((a) => a.tool.id === 'wechat-pay');
    expect(wechat).toMatchObject({ status: 'ROLLING_OUT', since: '2024-09-04', requiresMerchantOptIn: true });
    expect(wechat?.history.map((event) => [event.status, event.date])).toEqual([
      ['PILOT', '2024'],
      ['PILOT', '2024-08-19'],
      ['ROLLING_OUT', '2024-09-04'],
    ]);
    const quickpass = taobao.find((a) => a.tool.id === 'unionpay-quickpass');
    expect(quickpass).toMatchObject({ status: 'LIVE', since: '2021' });
    expect(taobao.map((a) => a.tool.id)).toEqual(expect.arrayContaining(['e-cny', 'wing-pay', 'hebao']));
  });

  test("Alibaba's apps on WeChat Pay since 2021", async () => {
    for (const platformId of ['ele-me', 'youku', 'damai', 'kaola', 'shuqi']) {
      const wechat = (await acceptances(platformId)).find((a) => a.tool.id === 'wechat-pay');
      expect(wechat).toMatchObject({ status: 'LIVE', since: '2021', requiresMerchantOptIn: false });
    }
  });

  test('Meituan Waimai and Meituan Hotels are listed inside the Alipay app since 2024-09-04', async () => {
    const result = await data<{
      alipay: { hosts: { service: { id: string }; since: string }[] };
      waimai: { listedOn: { host: { id: string; name: string } }[] };
    }>(/* GraphQL */ `{
      alipay: platform(id: "alipay-app") { hosts { service { id } since } }
      waimai: platform(id: "meituan-waimai") { listedOn { host { id name } } }
    }`);
    expect(result.alipay.hosts).toEqual([
      { service: { id: 'meituan-waimai' }, since: '2024-09-04' },
      { service: { id: 'meituan-hotels' }, since: '2024-09-04' },
    ]);
    expect(result.waimai.listedOn).toEqual([{ host: { id: 'alipay-app', name: 'Alipay app' } }]);
  });

  test("the story's speculation is not an acceptance, and what the story does not say is marked demo data", async () => {
    expect((await acceptances('jd')).map((a) => a.tool.id)).not.toContain('alipay');
    for (const acceptance of await acceptances('meituan-waimai')) expect(acceptance.source).toBe('demo data');
  });

  test('every rule has a source and an ISO date or year', async () => {
    const result = await data<{ platforms: { acceptedPaymentTools: { since: string | null; source: string }[] }[] }>(
      /* GraphQL */ `{ platforms { acceptedPaymentTools { since source } } }`,
    );
    for (const acceptance of result.platforms.flatMap((p) => p.acceptedPaymentTools)) {
      expect(acceptance.source).not.toBe('');
      if (acceptance.since !== null) expect(acceptance.since).toMatch(/^\d{4}(-\d{2}-\d{2})?$/);
    }
  });

  test('a tool lists where it is accepted and what it interoperates with', async () => {
    const result = await data<{
      paymentTool: { acceptedOn: { platform: { id: string }; status: string }[]; interoperatesWith: { id: string }[] };
    }>(/* GraphQL */ `{
      paymentTool(id: "wechat-pay") {
        acceptedOn { platform { id } status }
        interoperatesWith { id }
      }
    }`);
    expect(result.paymentTool.acceptedOn).toContainEqual({ platform: { id: 'taobao' }, status: 'ROLLING_OUT' });
    expect(result.paymentTool.interoperatesWith.map((t) => t.id)).toEqual(['e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wing-pay']);
  });
});

describe('checkout options', () => {
  const OPTIONS = /* GraphQL */ `query ($platformId: ID!, $merchantId: ID!) {
    checkoutOptions(platformId: $platformId, merchantId: $merchantId) { rank isDefault tool { id } }
  }`;

  async function optionIds(platformId: string, merchantId: string): Promise<string[]> {
    const result = await data<{ checkoutOptions: { rank: number; isDefault: boolean; tool: { id: string } }[] }>(OPTIONS, {
      platformId,
      merchantId,
    });
    return result.checkoutOptions.map((option) => option.tool.id);
  }

  const onTaobao = `EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`;
  const optedIn = `EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`;

  test('an opted-in Taobao merchant offers WeChat Pay second, after the default Alipay', async () => {
    const [merchantId] = await merchantIds(`m.status = 'ACTIVE' AND m.eligible AND ${optedIn}`);
    const result = await data<{ checkoutOptions: { rank: number; isDefault: boolean; tool: { id: string } }[] }>(OPTIONS, {
      platformId: 'taobao',
      merchantId,
    });
    expect(result.checkoutOptions.slice(0, 2)).toEqual([
      { rank: 1, isDefault: true, tool: { id: 'alipay' } },
      { rank: 2, isDefault: false, tool: { id: 'wechat-pay' } },
    ]);
    expect(result.checkoutOptions.map((o) => o.tool.id)).toEqual(['alipay', 'wechat-pay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']);
  });

  test('a Taobao merchant that has not opened WeChat Pay does not offer it', async () => {
    const [merchantId] = await merchantIds(`m.status = 'ACTIVE' AND ${onTaobao} AND NOT ${optedIn}`);
    expect(await optionIds('taobao', merchantId!)).toEqual(['alipay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']);
  });

  test('a suspended merchant offers nothing; a merchant not on the platform offers nothing', async () => {
    const [suspended] = await merchantIds(`m.status = 'SUSPENDED' AND ${onTaobao}`);
    expect(await optionIds('taobao', suspended!)).toEqual([]);
    const [elsewhere] = await merchantIds(`NOT ${onTaobao}`);
    expect(await optionIds('taobao', elsewhere!)).toEqual([]);
  });

  test('storefront paymentOptions and checkoutOptions give the same answer', async () => {
    const ids = await merchantIds(onTaobao);
    for (const merchantId of ids) {
      const result = await data<{ merchant: { storefront: { paymentOptions: { tool: { id: string } }[] } } }>(
        /* GraphQL */ `query ($id: ID!) { merchant(id: $id) { storefront(platformId: "taobao") { paymentOptions { tool { id } } } } }`,
        { id: merchantId },
      );
      expect(result.merchant.storefront.paymentOptions.map((o) => o.tool.id)).toEqual(await optionIds('taobao', merchantId));
    }
  });

  test('merchants(acceptsToolId) keeps exactly the merchants whose checkout offers the tool', async () => {
    type Page = { merchants: { edges: { node: { id: string } }[] } };
    const all = await data<Page>(/* GraphQL */ `{ merchants(platformId: "taobao", first: 25) { edges { node { id } } } }`);
    const accepting = await data<Page>(
      /* GraphQL */ `{ merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 100) { edges { node { id } } } }`,
    );
    const acceptingIds = new Set(accepting.merchants.edges.map((edge) => edge.node.id));
    const ids = all.merchants.edges.map((edge) => edge.node.id);
    const aliases = ids.map((id, i) => `m${i}: checkoutOptions(platformId: "taobao", merchantId: "${id}") { tool { id } }`);
    const options = await data<Record<string, { tool: { id: string } }[]>>(`{ ${aliases.join('\n')} }`);
    const lastAccepting = [...acceptingIds].at(-1) ?? '';
    ids.forEach((id, i) => {
      if (id > lastAccepting) return;
      expect([id, acceptingIds.has(id)]).toEqual([id, options[`m${i}`]!.some((o) => o.tool.id === 'wechat-pay')]);
    });
    expect(acceptingIds.size).toBeGreaterThan(0);
  });
});

describe('somewhere to pay on every platform', () => {
  test('each platform of the story has merchants, whose checkout offers a tool that a payment can start with', async () => {
    type Platforms = { platforms: { id: string; merchants: { totalCount: number; edges: { node: { id: string; status: string } }[] } }[] };
    const { platforms } = await data<Platforms>(/* GraphQL */ `{ platforms { id merchants(first: 10) { totalCount edges { node { id status } } } } }`);
    expect(platforms).toHaveLength(10);
    for (const platform of platforms) {
      expect([platform.id, platform.merchants.totalCount > 0]).toEqual([platform.id, true]);
      const merchantId = platform.merchants.edges.find((edge) => edge.node.status === 'ACTIVE')?.node.id;
      const { checkoutOptions } = await data<{ checkoutOptions: { tool: { id: string } }[] }>(
        /* GraphQL */ `query ($platformId: ID!, $merchantId: ID!) { checkoutOptions(platformId: $platformId, merchantId: $merchantId) { tool { id } } }`,
        { platformId: platform.id, merchantId },
      );
      const [first] = checkoutOptions;
      expect([platform.id, first !== undefined]).toEqual([platform.id, true]);
      const started = await initiate(graph, { platformId: platform.id, merchantId: merchantId!, paymentToolId: first!.tool.id, reference: `on-${platform.id}` });
      expect([platform.id, started.errors, started.data?.initiatePayment.status]).toEqual([platform.id, undefined, 'REQUIRES_ACTION']);
    }
  });

  test('Youku sells its memberships and Shuqi its books, in their own stores', async () => {
    const result = await data<Record<'youku' | 'shuqi', { merchants: { edges: { node: { name: string; category: string } }[] } }>>(/* GraphQL */ `{
      youku: platform(id: "youku") { merchants { edges { node { name category } } } }
      shuqi: platform(id: "shuqi") { merchants { edges { node { name category } } } }
    }`);
    expect(result.youku.merchants.edges.map((edge) => edge.node)).toEqual([{ name: 'Youku VIP Membership', category: 'DIGITAL_CONTENT' }]);
    expect(result.shuqi.merchants.edges.map((edge) => edge.node)).toEqual([{ name: 'Shuqi Bookstore', category: 'DIGITAL_CONTENT' }]);
  });
});

describe('merchant pages', () => {
  type Connection = {
    totalCount: number;
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  const PAGE = /* GraphQL */ `query ($after: String) {
    merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 50, after: $after) {
      totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
    }
  }`;

  test('walking every page visits each match once, in id order, and totalCount agrees', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let guard = 0; guard < 100; guard += 1) {
      const { merchants }: { merchants: Connection } = await data<{ merchants: Connection }>(PAGE, { after });
      total = merchants.totalCount;
      seen.push(...merchants.edges.map((edge) => edge.node.id));
      expect(merchants.pageInfo.endCursor).toBe(merchants.edges.at(-1)?.cursor ?? null);
      if (!merchants.pageInfo.hasNextPage) break;
      after = merchants.pageInfo.endCursor;
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  test('Platform.merchants pages the same merchants as merchants(platformId)', async () => {
    const result = await data<{ platform: { merchants: Connection }; merchants: Connection }>(/* GraphQL */ `{
      platform(id: "taobao") { merchants(first: 10) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
      merchants(platformId: "taobao", first: 10) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
    }`);
    expect(result.platform.merchants).toEqual(result.merchants);
  });
});

describe('bad input', () => {
  test.each([
    ['first below 0', `{ merchants(first: -1) { totalCount } }`, 'first'],
    ['first above 100', `{ merchants(first: 101) { totalCount } }`, 'first'],
    ['a malformed cursor', `{ merchants(after: "not-a-cursor") { totalCount } }`, 'after'],
    ['an unknown platform filter', `{ merchants(platformId: "nope") { totalCount } }`, 'platformId'],
    ['an unknown tool filter', `{ merchants(acceptsToolId: "nope") { totalCount } }`, 'acceptsToolId'],
    ['first out of range on Platform.merchants', `{ platform(id: "taobao") { merchants(first: 500) { totalCount } } }`, 'first'],
    ['checkoutOptions on an unknown platform', `{ checkoutOptions(platformId: "nope", merchantId: "m0000001") { rank } }`, 'platformId'],
    ['checkoutOptions for an unknown merchant', `{ checkoutOptions(platformId: "taobao", merchantId: "nope") { rank } }`, 'merchantId'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_name, query, argument) => {
    expect(await errorCodes(query)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  });

  test('a query the schema does not allow is refused before any subgraph runs', async () => {
    const response = await graph.query(`{ platforms { nope } }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('the graph still answers after bad input', async () => {
    expect(await data<{ platform: { name: string } }>(`{ platform(id: "taobao") { name } }`)).toEqual({ platform: { name: 'Taobao' } });
  });
});

describe('schema as explorers see it', () => {
  test('the operation Apollo Sandbox opens on runs without errors', async () => {
    const result = await data<{ checkout: { available: unknown[]; unavailable: unknown[] } }>(EXAMPLE_OPERATION, EXAMPLE_VARIABLES);
    expect(result.checkout.available.length + result.checkout.unavailable.length).toBe(7);
  });

  test('every type, field, argument and enum value in the public schema is described', async () => {
    type Named = { name: string; description: string | null };
    type Type = Named & {
      kind: string;
      fields: (Named & { args: Named[] })[] | null;
      enumValues: Named[] | null;
      inputFields: Named[] | null;
    };
    const result = await data<{ __schema: { types: Type[] } }>(/* GraphQL */ `{
      __schema {
        types {
          kind name description
          fields { name description args { name description } }
          enumValues { name description }
          inputFields { name description }
        }
      }
    }`);
    const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
    const undescribed: string[] = [];
    for (const type of result.__schema.types) {
      if (type.name.startsWith('__') || builtIn.has(type.name)) continue;
      if (!type.description && type.name !== 'Query') undescribed.push(type.name);
      for (const field of type.fields ?? []) {
        if (!field.description) undescribed.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) undescribed.push(`${type.name}.${field.name}(${arg.name})`);
      }
      for (const value of [...(type.enumValues ?? []), ...(type.inputFields ?? [])]) {
        if (!value.description) undescribed.push(`${type.name}.${value.name}`);
      }
    }
    expect(undescribed).toEqual([]);
  });
});
