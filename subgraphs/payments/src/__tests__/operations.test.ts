// The payments subgraph through its resolvers, without HTTP: its federation
// SDL, payment tools as entities, storefront options from the @requires facts
// the gateway passes, and checkoutOptions with peers that fail or answer.
import { badUserInput, createLogger } from '@interop/kit';
import { createSubgraphApollo, SubgraphClient, type EntityRepresentation } from '@interop/kit/server';
import type { AcceptanceStatus } from '@interop/domain';
import { dataOf, entityKeys, errorsOf, execute } from '@interop/testing/operation';
import { TEST_TRUST } from '@interop/testing/identities';
import type { PaymentsContext } from '../context';
import { createPeerFacts, paymentsSubgraph, PaymentsStore } from '../server';
import { CLOSED, commerceStating, contextFor, openLedger, type PeerRule, type TestLedger } from './test-context';


const server = createSubgraphApollo<PaymentsContext>(paymentsSubgraph, createLogger('test'));
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

afterAll(async () => {
  await server.stop();
});

const closedPeers = () => createPeerFacts({ commerceUrl: CLOSED, merchantsUrl: CLOSED, peerTimeoutMs: 300, trust: TEST_TRUST });

const run = <TData>(query: string, variables: Record<string, unknown> = {}) =>
  execute<TData, PaymentsContext>(server, contextFor(store, closedPeers(), ledger.ledger), query, variables);

const ALL_TOOLS = ['alipay', 'e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wechat-pay', 'wing-pay'];

test('_service.sdl declares the entity keys payments resolves or requires', async () => {
  const { _service } = dataOf(await run<{ _service: { sdl: string } }>(/* GraphQL */ `{ _service { sdl } }`));
  expect(entityKeys(_service.sdl)).toEqual({ PaymentTool: ['id'], Storefront: ['id'], Platform: ['id'], Merchant: ['id'], Payment: ['id'] });
});

describe('PaymentTool entities', () => {
  const TOOLS = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on PaymentTool {
          id name provider kind operationalStatus
          interoperatesWith { id }
          limits { perPaymentMin { amountMinor currency } perPaymentMax { amountMinor currency formatted } }
        }
      }
    }
  `;
  type Tool = {
    id: string;
    name: string;
    provider: string;
    kind: string;
    operationalStatus: string;
    interoperatesWith: { id: string }[];
    limits: { perPaymentMin: { amountMinor: number; currency: string }; perPaymentMax: { amountMinor: number; currency: string; formatted: string } };
  };

  test('known ids resolve in order with limits in minor units; unknown ids are null', async () => {
    const { _entities } = dataOf(
      await run<{ _entities: (Tool | null)[] }>(TOOLS, {
        representations: ['alipay', 'nope', 'wechat-pay'].map((id) => ({ __typename: 'PaymentTool', id })),
      }),
    );
    const [alipay, nope, wechat] = _entities;
    expect(nope).toBeNull();
    expect(alipay).toEqual({
      id: 'alipay',
      name: 'Alipay',
      provider: 'Ant Group',
      kind: 'DIGITAL_WALLET',
      operationalStatus: 'OPERATIONAL',
      interoperatesWith: [],
      limits: {
        perPaymentMin: { amountMinor: 1, currency: 'CNY' },
        perPaymentMax: { amountMinor: 50_000_000, currency: 'CNY', formatted: '¥500,000.00' },
      },
    });
    expect(wechat?.interoperatesWith.map((tool) => tool.id)).toEqual(['e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wing-pay']);
  });

  test('interoperability goes both ways', async () => {
    const { _entities } = dataOf(await run<{ _entities: (Tool | null)[] }>(TOOLS, { representations: [{ __typename: 'PaymentTool', id: 'e-cny' }] }));
    expect(_entities[0]?.interoperatesWith).toEqual([{ id: 'wechat-pay' }]);
  });
});

describe('Storefront.paymentOptions from the @requires facts', () => {
  type Rule = { toolId: string; status: AcceptanceStatus; requiresMerchantOptIn?: boolean; checkoutRank: number };
  type Option = { tool: { id: string; name: string }; rank: number; isDefault: boolean };

  const TAOBAO: Rule[] = [
    { toolId: 'alipay', status: 'LIVE', checkoutRank: 1 },
    { toolId: 'wechat-pay', status: 'ROLLING_OUT', requiresMerchantOptIn: true, checkoutRank: 2 },
    { toolId: 'unionpay-quickpass', status: 'LIVE', checkoutRank: 3 },
    { toolId: 'e-cny', status: 'LIVE', checkoutRank: 4 },
    { toolId: 'wing-pay', status: 'LIVE', checkoutRank: 5 },
    { toolId: 'hebao', status: 'LIVE', checkoutRank: 6 },
  ];

  /** The rules commerce states now, by platform: each test states its own through `storefront`. */
  let stated: Map<string, PeerRule[]>;
  let commerce: ReturnType<typeof commerceStating>;

  beforeEach(() => {
    stated = new Map();
    commerce = commerceStating(stated);
  });

  /**
   * A storefront representation as the gateway sends it after asking merchants
   * for the required fields; commerce states the platform's rules as `rules`
   * from now on.
   */
  function storefront(
    id: string,
    rules: Rule[],
    merchant: { status: 'ACTIVE' | 'SUSPENDED'; eligible: boolean },
    enrolled: string[],
  ): EntityRepresentation {
    const platformId = id.slice(id.indexOf(':') + 1);
    stated.set(
      platformId,
      rules.map((rule) => ({ tool: { id: rule.toolId }, status: rule.status, requiresMerchantOptIn: rule.requiresMerchantOptIn ?? false, checkoutRank: rule.checkoutRank })),
    );
    return {
      __typename: 'Storefront',
      id,
      platform: { id: platformId },
      merchant,
      enrolledTools: enrolled.map((toolId) => ({ id: toolId })),
    };
  }

  const OPTIONS = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Storefront { id paymentOptions { tool { id name } rank isDefault } }
      }
    }
  `;

  async function options(...representations: EntityRepresentation[]) {
    const result = await run<{ _entities: ({ id: string; paymentOptions: Option[] } | null)[] }>(OPTIONS, { representations });
    return dataOf(result)._entities;
  }

  const ACTIVE = { status: 'ACTIVE', eligible: true } as const;
  const ids = (list: Option[] | undefined) => (list ?? []).map((option) => option.tool.id);

  test('an eligible merchant that opened WeChat Pay offers it second, after the default Alipay', async () => {
    const [result] = await options(storefront('m0000002:taobao', TAOBAO, ACTIVE, ['wechat-pay']));
    expect(result?.id).toBe('m0000002:taobao');
    expect(result?.paymentOptions.slice(0, 2)).toEqual([
      { tool: { id: 'alipay', name: 'Alipay' }, rank: 1, isDefault: true },
      { tool: { id: 'wechat-pay', name: 'WeChat Pay' }, rank: 2, isDefault: false },
    ]);
    expect(ids(result?.paymentOptions)).toEqual(['alipay', 'wechat-pay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']);
    expect(result?.paymentOptions.filter((option) => option.isDefault)).toHaveLength(1);
  });

  test('opt-in needs enrolment and eligibility; a suspended merchant offers nothing', async () => {
    const results = await options(
      storefront('a:taobao', TAOBAO, ACTIVE, []),
      storefront('b:taobao', TAOBAO, { status: 'ACTIVE', eligible: false }, ['wechat-pay']),
      storefront('c:taobao', TAOBAO, { status: 'SUSPENDED', eligible: true }, ['wechat-pay']),
      storefront('d:taobao', TAOBAO, ACTIVE, ['wechat-pay']),
      // The same facts as a's and d's in one request: each decided once, and still answered per storefront.
      storefront('e:taobao', TAOBAO, ACTIVE, []),
      storefront('f:taobao', TAOBAO, ACTIVE, ['wechat-pay']),
    );
    expect(results.map((result) => [result?.id, ids(result?.paymentOptions)])).toEqual([
      ['a:taobao', ['alipay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']],
      ['b:taobao', ['alipay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']],
      ['c:taobao', []],
      ['d:taobao', ['alipay', 'wechat-pay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']],
      ['e:taobao', ['alipay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']],
      ['f:taobao', ['alipay', 'wechat-pay', 'unionpay-quickpass', 'e-cny', 'wing-pay', 'hebao']],
    ]);
  });

  test('options come in rank order, ties by tool id, whatever order the facts arrive in; only LIVE and ROLLING_OUT count', async () => {
    const rules: Rule[] = [
      { toolId: 'wing-pay', status: 'LIVE', checkoutRank: 2 },
      { toolId: 'jd-pay', status: 'PILOT', checkoutRank: 1 },
      { toolId: 'hebao', status: 'ROLLING_OUT', checkoutRank: 2 },
      { toolId: 'alipay', status: 'LIVE', checkoutRank: 3 },
      { toolId: 'e-cny', status: 'ANNOUNCED', checkoutRank: 1 },
      { toolId: 'unionpay-quickpass', status: 'SUSPENDED', checkoutRank: 1 },
      { toolId: 'wechat-pay', status: 'LIVE', checkoutRank: 2 },
    ];
    const [result] = await options(storefront('m:jd', rules, ACTIVE, []));
    expect(result?.paymentOptions.map((option) => [option.tool.id, option.rank, option.isDefault])).toEqual([
      ['hebao', 2, true],
      ['wechat-pay', 2, false],
      ['wing-pay', 2, false],
      ['alipay', 3, false],
    ]);
  });

  test('a tool payments has suspended, or does not know, is never offered', async () => {
    const toolsByIds = store.toolsByIds.bind(store);
    jest.spyOn(store, 'toolsByIds').mockImplementation(async (toolIds) =>
      (await toolsByIds(toolIds)).map((tool) => (tool?.id === 'alipay' ? { ...tool, operationalStatus: 'SUSPENDED' } : tool)),
    );
    const rules: Rule[] = [...TAOBAO, { toolId: 'mystery-pay', status: 'LIVE', checkoutRank: 0 }];
    const [result] = await options(storefront('m:taobao', rules, ACTIVE, []));
    expect(result?.paymentOptions.map((option) => [option.tool.id, option.isDefault])).toEqual([
      ['unionpay-quickpass', true],
      ['e-cny', false],
      ['wing-pay', false],
      ['hebao', false],
    ]);
  });

  test('a platform without rules, and a storefront without enrolments, are valid facts', async () => {
    const [result] = await options(storefront('m:nowhere', [], ACTIVE, []));
    expect(result).toEqual({ id: 'm:nowhere', paymentOptions: [] });
  });

  test('a fact its owner did not give (null or missing) makes the options null with DEPENDENCY_UNAVAILABLE naming that owner, not a guess', async () => {
    const whole = storefront('m:taobao', TAOBAO, ACTIVE, ['wechat-pay']);
    const without: [EntityRepresentation, string][] = [
      [{ __typename: 'Storefront', id: 'm:taobao' }, 'merchants'],
      [{ ...whole, platform: null }, 'merchants'],
      [{ ...whole, platform: {} }, 'merchants'],
      [{ ...whole, merchant: null }, 'merchants'],
      [{ ...whole, merchant: { status: null, eligible: true } }, 'merchants'],
      [{ ...whole, merchant: { status: 'ACTIVE', eligible: null } }, 'merchants'],
      [{ ...whole, enrolledTools: null }, 'merchants'],
    ];
    const result = await run<{ _entities: { paymentOptions: unknown }[] }>(OPTIONS, { representations: without.map(([representation]) => representation) });
    expect(result.data?._entities.map((entity) => entity.paymentOptions)).toEqual(without.map(() => null));
    expect(errorsOf(result)).toEqual(
      without.map(([, owner], index) => ({ code: 'DEPENDENCY_UNAVAILABLE', path: ['_entities', index, 'paymentOptions'], dependency: owner })),
    );
  });

  test("without held facts, a request asks commerce once for all its storefronts' platforms, and the next request sees a changed rule", async () => {
    const peers = closedPeers();
    const options = async (...representations: EntityRepresentation[]) =>
      dataOf(await execute<{ _entities: { paymentOptions: Option[] }[] }, PaymentsContext>(server, contextFor(store, peers, ledger.ledger), OPTIONS, { representations }))._entities;
    await options(storefront('a:taobao', TAOBAO, ACTIVE, []), storefront('b:taobao', TAOBAO, ACTIVE, []), storefront('c:meituan-waimai', TAOBAO, ACTIVE, []));
    expect(commerce.asked).toEqual([['taobao', 'meituan-waimai']]);
    // Commerce turns Hebao into a PILOT: the next request reads the new rules.
    const hebaoPilot = TAOBAO.map((rule) => (rule.toolId === 'hebao' ? { ...rule, status: 'PILOT' as const } : rule));
    const [changed] = await options(storefront('c:taobao', hebaoPilot, ACTIVE, []));
    expect(ids(changed?.paymentOptions)).toEqual(['alipay', 'unionpay-quickpass', 'e-cny', 'wing-pay']);
    expect(commerce.asked).toEqual([['taobao', 'meituan-waimai'], ['taobao']]);
  });

  test('rules commerce cannot give while it cannot be reached: the options are null with DEPENDENCY_UNAVAILABLE naming commerce', async () => {
    const representation = storefront('m:taobao', TAOBAO, ACTIVE, []);
    // Commerce is back at its closed port.
    jest.restoreAllMocks();
    const result = await run<{ _entities: { id: string; paymentOptions: unknown }[] }>(OPTIONS, { representations: [representation] });
    expect(result.data?._entities).toEqual([{ id: 'm:taobao', paymentOptions: null }]);
    expect(errorsOf(result)).toEqual([{ code: 'DEPENDENCY_UNAVAILABLE', path: ['_entities', 0, 'paymentOptions'], dependency: 'commerce' }]);
  });
});

describe('root queries', () => {
  test('paymentTools are every tool, ordered by id', async () => {
    const { paymentTools } = dataOf(await run<{ paymentTools: { id: string }[] }>(/* GraphQL */ `{ paymentTools { id } }`));
    expect(paymentTools.map((tool) => tool.id)).toEqual(ALL_TOOLS);
  });

  test('paymentTool(id) finds one tool; an unknown id is null without an error', async () => {
    const result = await run(/* GraphQL */ `{
      tool: paymentTool(id: "e-cny") { name kind provider }
      nope: paymentTool(id: "nope") { name }
    }`);
    expect(dataOf(result)).toEqual({
      tool: { name: 'Digital RMB (e-CNY)', kind: 'CENTRAL_BANK_DIGITAL_CURRENCY', provider: "People's Bank of China" },
      nope: null,
    });
  });

  describe('checkoutOptions', () => {
    const CHECKOUT = /* GraphQL */ `
      query ($platformId: ID!, $merchantId: ID!) {
        checkoutOptions(platformId: $platformId, merchantId: $merchantId) { tool { id } rank isDefault }
      }
    `;

    test('peers that refuse the connection give DEPENDENCY_UNAVAILABLE at once', async () => {
      const started = performance.now();
      const result = await run(CHECKOUT, { platformId: 'taobao', merchantId: 'm0000001' });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(result.data).toEqual({ checkoutOptions: null });
      const [error, ...others] = errorsOf(result);
      expect(others).toEqual([]);
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', path: ['checkoutOptions'] });
      expect(['commerce', 'merchants']).toContain(error?.dependency);
    });

    test('one peer failing fails the answer and names that peer', async () => {
      // Commerce answers; the merchants client keeps its real behaviour against the closed port.
      const real = SubgraphClient.prototype.entities;
      jest.spyOn(SubgraphClient.prototype, 'entities').mockImplementation(function (this: SubgraphClient, ...args: Parameters<typeof real>) {
        if (this.name === 'commerce') return Promise.resolve([{ acceptedPaymentTools: [] }]);
        return real.apply(this, args);
      });
      const result = await run(CHECKOUT, { platformId: 'taobao', merchantId: 'm0000001' });
      expect(errorsOf(result)).toEqual([{ code: 'DEPENDENCY_UNAVAILABLE', path: ['checkoutOptions'], dependency: 'merchants' }]);
    });

    describe('with peers that answer', () => {
      type Facts = {
        platform: { acceptedPaymentTools: { tool: { id: string }; status: string; requiresMerchantOptIn: boolean; checkoutRank: number }[] } | null;
        merchant: { status: string; eligible: boolean; storefront: { enrolledTools: { id: string }[] } | null } | null;
      };
      let asked: { peer: string; typename: string; representations: readonly EntityRepresentation[]; variables: unknown }[];

      function answer(facts: Facts) {
        asked = [];
        // Each peer is asked one `_entities` call: commerce for the platform, merchants for the merchant with its storefronts.
        jest.spyOn(SubgraphClient.prototype, 'request').mockImplementation(async function (this: SubgraphClient, _query: string, variables?: Record<string, unknown>) {
          const representations = (variables?.['representations'] ?? []) as EntityRepresentation[];
          if (this.name === 'commerce') {
            asked.push({ peer: this.name, typename: 'Platform', representations, variables: undefined });
            return { _entities: representations.map(() => facts.platform) } as never;
          }
          asked.push({ peer: this.name, typename: 'Merchant', representations, variables: undefined });
          const { merchant } = facts;
          // Every merchant here also sells on JD, whose opt-ins must not count on Taobao.
          const onJd = { platform: { id: 'jd' }, enrolledTools: [{ id: 'wechat-pay' }, { id: 'hebao' }] };
          const storefronts = (storefront: { enrolledTools: { id: string }[] } | null) => [onJd, ...(storefront ? [{ platform: { id: 'taobao' }, ...storefront }] : [])];
          return {
            _entities: representations.map(() => merchant && { status: merchant.status, eligible: merchant.eligible, storefronts: storefronts(merchant.storefront) }),
          } as never;
        });
      }

      const taobao = {
        acceptedPaymentTools: [
          { tool: { id: 'wechat-pay' }, status: 'ROLLING_OUT', requiresMerchantOptIn: true, checkoutRank: 2 },
          { tool: { id: 'alipay' }, status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 1 },
          { tool: { id: 'hebao' }, status: 'PILOT', requiresMerchantOptIn: false, checkoutRank: 3 },
        ],
      };

      test('asks commerce for the platform and merchants for the merchant on that platform, then applies the rule', async () => {
        answer({ platform: taobao, merchant: { status: 'ACTIVE', eligible: true, storefront: { enrolledTools: [{ id: 'wechat-pay' }] } } });
        const result = await run<{ checkoutOptions: unknown[] }>(CHECKOUT, { platformId: 'taobao', merchantId: 'm0000007' });
        expect(dataOf(result).checkoutOptions).toEqual([
          { tool: { id: 'alipay' }, rank: 1, isDefault: true },
          { tool: { id: 'wechat-pay' }, rank: 2, isDefault: false },
        ]);
        expect(asked).toEqual([
          { peer: 'commerce', typename: 'Platform', representations: [{ __typename: 'Platform', id: 'taobao' }], variables: undefined },
          { peer: 'merchants', typename: 'Merchant', representations: [{ __typename: 'Merchant', id: 'm0000007' }], variables: undefined },
        ]);
      });

      test('checkout lists every tool once, with reasons; checkoutOptions is its available part', async () => {
        answer({ platform: taobao, merchant: { status: 'ACTIVE', eligible: true, storefront: { enrolledTools: [] } } });
        const result = await run<{
          checkout: { available: { tool: { id: string }; nextActionType: string | null }[]; unavailable: { tool: { id: string }; reason: string }[] };
          checkoutOptions: { tool: { id: string } }[];
        }>(
          /* GraphQL */ `query ($platformId: ID!, $merchantId: ID!) {
            checkout(platformId: $platformId, merchantId: $merchantId, channel: APP) { available { tool { id } nextActionType } unavailable { tool { id } reason } }
            checkoutOptions(platformId: $platformId, merchantId: $merchantId) { tool { id } }
          }`,
          { platformId: 'taobao', merchantId: 'm1' },
        );
        const { checkout, checkoutOptions } = dataOf(result);
        expect(checkout.available).toEqual([{ tool: { id: 'alipay' }, nextActionType: 'REDIRECT' }]);
        expect(checkout.unavailable.map((u) => [u.tool.id, u.reason])).toEqual([
          ['e-cny', 'PLATFORM_NOT_ACCEPTING'],
          ['hebao', 'NOT_YET_LIVE'],
          ['jd-pay', 'PLATFORM_NOT_ACCEPTING'],
          ['unionpay-quickpass', 'PLATFORM_NOT_ACCEPTING'],
          ['wechat-pay', 'MERCHANT_NOT_OPTED_IN'],
          ['wing-pay', 'PLATFORM_NOT_ACCEPTING'],
        ]);
        expect(checkoutOptions.map((option) => option.tool.id)).toEqual(checkout.available.map((option) => option.tool.id));
      });

      test('a merchant without a storefront on the platform has no options', async () => {
        answer({ platform: taobao, merchant: { status: 'ACTIVE', eligible: true, storefront: null } });
        expect(dataOf(await run<{ checkoutOptions: unknown[] }>(CHECKOUT, { platformId: 'taobao', merchantId: 'm1' }))).toEqual({ checkoutOptions: [] });
      });

      test('a suspended merchant has no options', async () => {
        answer({ platform: taobao, merchant: { status: 'SUSPENDED', eligible: true, storefront: { enrolledTools: [{ id: 'wechat-pay' }] } } });
        expect(dataOf(await run<{ checkoutOptions: unknown[] }>(CHECKOUT, { platformId: 'taobao', merchantId: 'm1' }))).toEqual({ checkoutOptions: [] });
      });

      test.each([
        ['an unknown platform', { platform: null, merchant: { status: 'ACTIVE', eligible: true, storefront: null } }, 'platformId'],
        ['an unknown merchant', { platform: taobao, merchant: null }, 'merchantId'],
      ] as const)('%s is BAD_USER_INPUT naming the argument', async (_name, facts, argument) => {
        answer(facts);
        const result = await run(CHECKOUT, { platformId: 'taobao', merchantId: 'm1' });
        expect(result.data).toEqual({ checkoutOptions: null });
        expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['checkoutOptions'], argument }]);
      });
    });

    test('a coded error from the peers layer reaches the client unchanged', async () => {
      const peers = closedPeers();
      jest.spyOn(peers, 'checkoutFacts').mockRejectedValue(badUserInput('merchantId', 'No merchant has id x.'));
      const result = await execute(server, contextFor(store, peers, ledger.ledger), CHECKOUT, { platformId: 'taobao', merchantId: 'x' });
      expect(errorsOf(result)).toEqual([{ code: 'BAD_USER_INPUT', path: ['checkoutOptions'], argument: 'merchantId' }]);
    });
  });
});
