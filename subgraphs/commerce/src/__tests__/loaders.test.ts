// The commerce DataLoaders: one store call per lookup kind per tick, answers
// in key order, and a key asked twice in one request served from the cache.
import { createLogger } from '@interop/kit';
import { createSubgraphApollo } from '@interop/kit/server';
import { dataOf, execute } from '@interop/testing/operation';
import type { CommerceContext } from '../context';
import { createLoaders } from '../loaders';
import { commerceSubgraph, CommerceStore, createContext } from '../server';

let store: CommerceStore;

beforeEach(() => {
  store = new CommerceStore();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('platform', () => {
  test('keys loaded in one tick make one batch; results in key order with null for a missing key', async () => {
    const spy = jest.spyOn(store, 'platformsByIds');
    const loaders = createLoaders(store);
    const platforms = await Promise.all(['taobao', 'nope', 'jd', 'alipay-app'].map((id) => loaders.platform.load(id)));
    expect(spy.mock.calls).toEqual([[['taobao', 'nope', 'jd', 'alipay-app']]]);
    expect(platforms.map((platform) => platform?.id ?? null)).toEqual(['taobao', null, 'jd', 'alipay-app']);
  });

  test('a repeated key is asked once and served from the cache afterwards', async () => {
    const spy = jest.spyOn(store, 'platformsByIds');
    const loaders = createLoaders(store);
    const [a, b, c] = await Promise.all([loaders.platform.load('taobao'), loaders.platform.load('jd'), loaders.platform.load('taobao')]);
    expect(a).toBe(c);
    expect(b?.id).toBe('jd');
    expect(await loaders.platform.load('taobao')).toBe(a);
    expect(spy.mock.calls).toEqual([[['taobao', 'jd']]]);
  });

  test('each request has its own loaders, so its own cache', async () => {
    const spy = jest.spyOn(store, 'platformsByIds');
    await createLoaders(store).platform.load('taobao');
    await createLoaders(store).platform.load('taobao');
    expect(spy.mock.calls).toEqual([[['taobao']], [['taobao']]]);
  });
});

type ListLoader = 'acceptancesByPlatform' | 'acceptancesByTool' | 'listingsByHost' | 'listingsByService';
type ListMethod = 'acceptancesByPlatformIds' | 'acceptancesByToolIds' | 'listingsByHostIds' | 'listingsByServiceIds';

test.each<[ListLoader, ListMethod, string[]]>([
  ['acceptancesByPlatform', 'acceptancesByPlatformIds', ['taobao', 'nope', 'jd']],
  ['acceptancesByTool', 'acceptancesByToolIds', ['wechat-pay', 'nope', 'alipay']],
  ['listingsByHost', 'listingsByHostIds', ['alipay-app', 'taobao']],
  ['listingsByService', 'listingsByServiceIds', ['meituan-hotels', 'nope', 'meituan-waimai']],
])('%s batches a tick into one %s call and answers in key order', async (loaderName, method, keys) => {
  const spy = jest.spyOn(store, method);
  const loaders = createLoaders(store);
  const expected: unknown[][] = await new CommerceStore()[method](keys);
  const results: unknown[][] = await Promise.all([...keys, keys[0] ?? ''].map((key) => loaders[loaderName].load(key)));
  expect(spy.mock.calls).toEqual([[keys]]);
  expect(results).toEqual([...expected, expected[0]]);
  expect(results.at(-1)).toBe(results[0]);
  expect(expected.filter((rows) => rows.length > 0).length).toBeGreaterThan(0);
  // A missing key is an empty list, never an error.
  if (keys.includes('nope')) expect(results[keys.indexOf('nope')]).toEqual([]);
});

test('every platform with all its rules and listings costs one store call per lookup kind', async () => {
  const server = createSubgraphApollo<CommerceContext>(commerceSubgraph, createLogger('test'));
  try {
    const spies = {
      listPlatforms: jest.spyOn(store, 'listPlatforms'),
      platformsByIds: jest.spyOn(store, 'platformsByIds'),
      acceptancesByPlatformIds: jest.spyOn(store, 'acceptancesByPlatformIds'),
      acceptancesByToolIds: jest.spyOn(store, 'acceptancesByToolIds'),
      listingsByHostIds: jest.spyOn(store, 'listingsByHostIds'),
      listingsByServiceIds: jest.spyOn(store, 'listingsByServiceIds'),
    };
    const result = await execute<{ platforms: { id: string }[] }, CommerceContext>(
      server,
      createContext(store),
      /* GraphQL */ `{
        platforms {
          id
          acceptedPaymentTools { platform { id name } tool { id acceptedOn { status } } }
          hosts { service { id } }
          listedOn { host { id } }
        }
      }`,
    );
    const ids = dataOf(result).platforms.map((platform) => platform.id);
    expect(ids).toHaveLength(10);
    expect(Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]))).toEqual({
      listPlatforms: 1,
      platformsByIds: 1,
      acceptancesByPlatformIds: 1,
      acceptancesByToolIds: 1,
      listingsByHostIds: 1,
      listingsByServiceIds: 1,
    });
    expect(spies.acceptancesByPlatformIds.mock.calls[0]?.[0]).toEqual(ids);
    expect(spies.listingsByHostIds.mock.calls[0]?.[0]).toEqual(ids);
    // Each platform named by a rule or a listing is asked for once.
    const asked = spies.platformsByIds.mock.calls[0]?.[0] ?? [];
    expect(new Set(asked).size).toBe(asked.length);
    const askedTools = spies.acceptancesByToolIds.mock.calls[0]?.[0] ?? [];
    expect([...askedTools].sort()).toEqual(['alipay', 'e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wechat-pay', 'wing-pay']);
  } finally {
    await server.stop();
  }
});
