// The query from the graph issue that crosses all three subgraphs: 50 merchants
// must cost one store lookup per kind per plan step, not one per merchant.
import { SubgraphClient } from '@interop/kit/server';
import { startGraph, type Graph } from '@interop/testing/harness';
import { peerFactsHeld } from '@interop/testing/payments-helpers';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 300 });
  // Payments holds its peers' checkout facts, and merchants platforms' names, once their fact events are heard; the counts below are of that steady state.
  await peerFactsHeld(graph);
});

afterAll(async () => {
  await graph?.stop();
});

const FIFTY_MERCHANTS = /* GraphQL */ `
  query ($after: String) {
    platform(id: "taobao") {
      merchants(first: 50, after: $after) {
        edges {
          node {
            storefronts {
              platform { name }
              paymentOptions { tool { name provider } }
            }
          }
        }
        pageInfo { endCursor }
      }
    }
  }
`;

type Page = {
  platform: {
    merchants: { edges: { node: { storefronts: { platform: { name: string }; paymentOptions: unknown[] }[] } }[]; pageInfo: { endCursor: string } };
  };
};

/** Asks for one page and counts the store calls it cost, and the subgraphs' own calls to commerce. */
async function pageCost(after: string | null) {
  const { commerce, payments, merchants } = graph.stores;
  const spies = {
    platformsByIds: jest.spyOn(commerce, 'platformsByIds'),
    acceptancesByPlatformIds: jest.spyOn(commerce, 'acceptancesByPlatformIds'),
    listMerchants: jest.spyOn(merchants, 'listMerchants'),
    listMerchantsWithStorefronts: jest.spyOn(merchants, 'listMerchantsWithStorefronts'),
    storefrontsByMerchantIds: jest.spyOn(merchants, 'storefrontsByMerchantIds'),
    enrolledToolIds: jest.spyOn(merchants, 'enrolledToolIds'),
    merchantsByIds: jest.spyOn(merchants, 'merchantsByIds'),
    toolsByIds: jest.spyOn(payments, 'toolsByIds'),
  };
  const peerCalls = jest.spyOn(SubgraphClient.prototype, 'request');
  const response = await graph.query<Page>(FIFTY_MERCHANTS, { after });
  expect(response.errors).toBeUndefined();
  const edges = response.data?.platform.merchants.edges ?? [];
  expect(edges).toHaveLength(50);
  const storefronts = edges.flatMap((edge) => edge.node.storefronts);
  expect(storefronts.length).toBeGreaterThan(50);
  expect(storefronts.filter((storefront) => storefront.paymentOptions.length > 0).length).toBeGreaterThan(40);
  const calls = Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));
  const result = {
    calls,
    pageSize: (await spies.listMerchantsWithStorefronts.mock.results[0]?.value)?.storefronts.length ?? 0,
    platformNames: new Set<string | null>(storefronts.map((storefront) => storefront.platform.name)),
    subgraphsAskedCommerce: peerCalls.mock.contexts.filter((client) => (client as SubgraphClient).name === 'commerce').length,
    endCursor: response.data?.platform.merchants.pageInfo.endCursor ?? null,
  };
  jest.restoreAllMocks();
  return result;
}

test('a page of 50 merchants with their storefronts and options costs one store call per lookup kind per plan step', async () => {
  for (const after of [null, (await pageCost(null)).endCursor]) {
    const page = await pageCost(after);
    // Payments holds the platforms' rules and merchants their names: neither asks commerce.
    expect(page.subgraphsAskedCommerce).toBe(0);
    expect(page.calls).toEqual({
      // Merchants holds the platforms: it answers the root platform with the page, and the storefronts' platforms' names.
      platformsByIds: 0,
      acceptancesByPlatformIds: 0,
    // The page reads its merchants' storefronts, each with the tools it opted into, in the same statement.
      listMerchants: 0,
      listMerchantsWithStorefronts: 1,
      storefrontsByMerchantIds: 0,
      enrolledToolIds: 0,
      merchantsByIds: 0,
      toolsByIds: 1,
    });
    // The one statement read the storefronts of all 50 merchants (and of the one more that says another page follows).
    expect(page.pageSize).toBe(51);
    expect(page.platformNames.has('Taobao')).toBe(true);
    expect(page.platformNames.has(null)).toBe(false);
  }
});

test('checkoutOptions for 20 merchants in one request ask neither owner: payments holds their facts', async () => {
  const spy = jest.spyOn(SubgraphClient.prototype, 'request');
  const ids = Array.from({ length: 20 }, (_, i) => `m${String(i + 1).padStart(7, '0')}`);
  const aliases = ids.map((id, i) => `m${i}: checkoutOptions(platformId: "taobao", merchantId: "${id}") { tool { id } }`);
  const response = await graph.query(`{ ${aliases.join('\n')} }`);
  expect(response.errors).toBeUndefined();
  expect(spy.mock.contexts).toEqual([]);
  spy.mockRestore();
});
