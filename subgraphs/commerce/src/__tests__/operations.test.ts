// The commerce subgraph through its resolvers, without HTTP: its federation
// SDL, the entities it resolves for the gateway, and its root queries.
import { createLogger } from '@interop/kit';
import { createSubgraphApollo } from '@interop/kit/server';
import { dataOf, entityKeys, execute } from '@interop/testing/operation';
import type { CommerceContext } from '../context';
import { commerceSubgraph, CommerceStore, createContext } from '../server';

const server = createSubgraphApollo<CommerceContext>(commerceSubgraph, createLogger('test'));
const store = new CommerceStore();

afterAll(async () => {
  await server.stop();
});

const run = <TData>(query: string, variables: Record<string, unknown> = {}) =>
  execute<TData, CommerceContext>(server, createContext(store), query, variables);

const ALIBABA_APPS = ['damai', 'ele-me', 'kaola', 'shuqi', 'youku'];

test('_service.sdl declares the entity keys commerce owns', async () => {
  const { _service } = dataOf(await run<{ _service: { sdl: string } }>(/* GraphQL */ `{ _service { sdl } }`));
  expect(entityKeys(_service.sdl)).toEqual({ Platform: ['id'], PaymentTool: ['id'] });
});

describe('_entities', () => {
  const ENTITIES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename
        ... on Platform {
          id
          name
          operatorGroup
          category
          acceptedPaymentTools { tool { id } status requiresMerchantOptIn checkoutRank platform { id } }
        }
        ... on PaymentTool {
          id
          acceptedOn { platform { id } status checkoutRank }
        }
      }
    }
  `;

  type Acceptance = { tool: { id: string }; status: string; requiresMerchantOptIn: boolean; checkoutRank: number; platform: { id: string } };
  type Entity =
    | { __typename: 'Platform'; id: string; name: string; operatorGroup: string; category: string; acceptedPaymentTools: Acceptance[] }
    | { __typename: 'PaymentTool'; id: string; acceptedOn: { platform: { id: string }; status: string; checkoutRank: number }[] };

  test('Platform: known ids resolve in order with their rules in checkout order; unknown ids are null', async () => {
    const { _entities } = dataOf(
      await run<{ _entities: (Entity | null)[] }>(ENTITIES, {
        representations: [
          { __typename: 'Platform', id: 'taobao' },
          { __typename: 'Platform', id: 'nope' },
          { __typename: 'Platform', id: 'jd' },
        ],
      }),
    );
    expect(_entities).toHaveLength(3);
    expect(_entities[1]).toBeNull();
    const [taobao, , jd] = _entities;
    expect(taobao).toMatchObject({ __typename: 'Platform', id: 'taobao', name: 'Taobao', operatorGroup: 'ALIBABA', category: 'MARKETPLACE' });
    if (taobao?.__typename !== 'Platform') throw new Error('expected Taobao');
    expect(taobao.acceptedPaymentTools.map((a) => [a.tool.id, a.status, a.requiresMerchantOptIn, a.checkoutRank])).toEqual([
      ['alipay', 'LIVE', false, 1],
      ['wechat-pay', 'ROLLING_OUT', true, 2],
      ['unionpay-quickpass', 'LIVE', false, 3],
      ['e-cny', 'LIVE', false, 4],
      ['wing-pay', 'LIVE', false, 5],
      ['hebao', 'LIVE', false, 6],
    ]);
    expect(new Set(taobao.acceptedPaymentTools.map((a) => a.platform.id))).toEqual(new Set(['taobao']));
    expect(jd).toMatchObject({ __typename: 'Platform', id: 'jd', operatorGroup: 'JD' });
  });

  test('PaymentTool: where the tool is accepted, by platform id; a tool commerce has no rule for has none', async () => {
    const { _entities } = dataOf(
      await run<{ _entities: (Entity | null)[] }>(ENTITIES, {
        representations: [
          { __typename: 'PaymentTool', id: 'wechat-pay' },
          { __typename: 'PaymentTool', id: 'nope' },
        ],
      }),
    );
    const [wechat, unknown] = _entities;
    if (wechat?.__typename !== 'PaymentTool') throw new Error('expected WeChat Pay');
    expect(wechat.acceptedOn.map((a) => a.platform.id)).toEqual([...ALIBABA_APPS, 'jd', 'meituan-hotels', 'meituan-waimai', 'taobao'].sort());
    expect(wechat.acceptedOn.find((a) => a.platform.id === 'taobao')).toEqual({ platform: { id: 'taobao' }, status: 'ROLLING_OUT', checkoutRank: 2 });
    // Commerce does not own tools: it only adds their rules, so an unknown id has no rules rather than being null.
    expect(unknown).toEqual({ __typename: 'PaymentTool', id: 'nope', acceptedOn: [] });
  });

  test('mixed representations resolve each to its own type, in order', async () => {
    const { _entities } = dataOf(
      await run<{ _entities: (Entity | null)[] }>(ENTITIES, {
        representations: [
          { __typename: 'PaymentTool', id: 'jd-pay' },
          { __typename: 'Platform', id: 'alipay-app' },
        ],
      }),
    );
    expect(_entities.map((entity) => [entity?.__typename, entity?.id])).toEqual([
      ['PaymentTool', 'jd-pay'],
      ['Platform', 'alipay-app'],
    ]);
  });
});

describe('root queries', () => {
  test('platforms are every platform, ordered by id', async () => {
    const { platforms } = dataOf(await run<{ platforms: { id: string }[] }>(/* GraphQL */ `{ platforms { id } }`));
    const ids = platforms.map((p) => p.id);
    expect(ids).toEqual(['alipay-app', ...ALIBABA_APPS, 'jd', 'meituan-hotels', 'meituan-waimai', 'taobao'].sort());
    expect([...ids].sort()).toEqual(ids);
  });

  test('platform(id) finds one platform; an unknown id is null without an error', async () => {
    const result = await run<{ taobao: { name: string; operator: string } | null; nope: { name: string } | null }>(/* GraphQL */ `{
      taobao: platform(id: "taobao") { name operator }
      nope: platform(id: "nope") { name }
    }`);
    expect(dataOf(result)).toEqual({ taobao: { name: 'Taobao', operator: 'Alibaba Group (Taotian Group)' }, nope: null });
  });

  test('acceptance(paymentToolId) gives the rule with its history, or null', async () => {
    const result = await run<{
      platform: {
        wechat: { status: string; since: string | null; history: { status: string; date: string | null }[] } | null;
        jdPay: { status: string } | null;
      };
    }>(/* GraphQL */ `{
      platform(id: "taobao") {
        wechat: acceptance(paymentToolId: "wechat-pay") { status since history { status date } }
        jdPay: acceptance(paymentToolId: "jd-pay") { status }
      }
    }`);
    const { platform } = dataOf(result);
    expect(platform.wechat).toEqual({
      status: 'ROLLING_OUT',
      since: '2024-09-04',
      history: [
        { status: 'PILOT', date: '2024' },
        { status: 'PILOT', date: '2024-08-19' },
        { status: 'ROLLING_OUT', date: '2024-09-04' },
      ],
    });
    expect(platform.jdPay).toBeNull();
  });

  test('listings link host and service both ways', async () => {
    const result = await run<{
      host: { hosts: { host: { id: string }; service: { id: string } }[]; listedOn: unknown[] };
      service: { listedOn: { host: { id: string } }[]; hosts: unknown[] };
    }>(/* GraphQL */ `{
      host: platform(id: "alipay-app") { hosts { host { id } service { id } } listedOn { since } }
      service: platform(id: "meituan-hotels") { listedOn { host { id } } hosts { since } }
    }`);
    const { host, service } = dataOf(result);
    expect(host.hosts).toEqual([
      { host: { id: 'alipay-app' }, service: { id: 'meituan-waimai' } },
      { host: { id: 'alipay-app' }, service: { id: 'meituan-hotels' } },
    ]);
    expect(host.listedOn).toEqual([]);
    expect(service).toEqual({ listedOn: [{ host: { id: 'alipay-app' } }], hosts: [] });
  });
});
