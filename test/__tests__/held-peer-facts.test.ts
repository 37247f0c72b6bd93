/** @backend-contract held facts follow fact events through Redis when there is one */
// Payments holds the facts a checkout reads from commerce and merchants while
// it hears their fact events, and merchants holds platforms' names: once held,
// a checkout for any merchant asks neither owner, a page of storefronts reads
// its platforms' names in merchants, and a change announced through the graph
// is what the very next request sees.
import { startGraph, type Graph } from '@interop/testing/harness';
import { codes, commerceRulesChanged, commerceRuleStatus, initiate, merchantWhere, peerFactsHeld } from '@interop/testing/payments-helpers';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 200 });
});

afterAll(async () => {
  await graph?.stop();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const everythingHeld = () => peerFactsHeld(graph);

/** Counts what commerce and merchants are asked for from now on. */
function countOwnerReads() {
  const merchants = jest.spyOn(graph.stores.merchants, 'merchantsWithStorefrontsByIds');
  const platforms = jest.spyOn(graph.stores.commerce, 'platformsByIds');
  const rules = jest.spyOn(graph.stores.commerce, 'acceptancesByPlatformIds');
  return () => merchants.mock.calls.length + platforms.mock.calls.length + rules.mock.calls.length;
}

const CHECKOUT_OPTIONS = /* GraphQL */ `query ($p: ID!, $m: ID!) { checkoutOptions(platformId: $p, merchantId: $m) { tool { id } } }`;

async function optionsAt(merchantId: string): Promise<string[]> {
  const response = await graph.query<{ checkoutOptions: { tool: { id: string } }[] }>(CHECKOUT_OPTIONS, { p: 'taobao', m: merchantId });
  expect(response.errors).toBeUndefined();
  return (response.data?.checkoutOptions ?? []).map((option) => option.tool.id);
}

test('once every merchant and platform is held, checkouts for merchants never asked before ask neither owner', async () => {
  await everythingHeld();
  const merchantIds = (await graph.stores.merchants.db.query<{ id: string }>(`SELECT m.id FROM merchant m ORDER BY m.seq DESC LIMIT 5`)).map((row) => row.id);
  const ownerReads = countOwnerReads();
  for (const merchantId of merchantIds) await optionsAt(merchantId);
  expect(ownerReads()).toBe(0);
});

test('an opt-in opened or closed through the graph is what the next checkout and the next payment see', async () => {
  const merchantId = await merchantWhere(
    graph,
    `m.status = 'ACTIVE' AND m.eligible AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')
     AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)`,
  );
  await everythingHeld();
  expect(await optionsAt(merchantId)).not.toContain('wechat-pay');
  expect(codes(await initiate(graph, { merchantId }))).toEqual(['PAYMENT_TOOL_NOT_ACCEPTED']);

  const open = await graph.query(`mutation ($m: ID!) { openPaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`, { m: merchantId });
  expect(open.errors).toBeUndefined();
  expect(await optionsAt(merchantId)).toContain('wechat-pay');
  expect((await initiate(graph, { merchantId })).errors).toBeUndefined();

  const close = await graph.query(`mutation ($m: ID!) { closePaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`, { m: merchantId });
  expect(close.errors).toBeUndefined();
  expect(await optionsAt(merchantId)).not.toContain('wechat-pay');
  expect(codes(await initiate(graph, { merchantId }))).toEqual(['PAYMENT_TOOL_NOT_ACCEPTED']);
  // Only the merchant that changed was asked again; the rest are still held.
  await everythingHeld();
});

test('a change commerce announces is what checkouts see once payments heard it, and the platforms are held again', async () => {
  const merchantId = await merchantWhere(graph, `m.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`);
  await everythingHeld();
  expect(await optionsAt(merchantId)).toContain('alipay');
  commerceRuleStatus(graph, 'taobao', 'alipay', 'SUSPENDED');
  await commerceRulesChanged(graph);
  expect(await optionsAt(merchantId)).not.toContain('alipay');
  jest.restoreAllMocks();
  await commerceRulesChanged(graph);
  expect(await optionsAt(merchantId)).toContain('alipay');
  await everythingHeld();
});

// Each read asks for a page size of its own, so that no cached answer serves it.
const PAGE = /* GraphQL */ `query ($first: Int) {
  platform(id: "taobao") { merchants(first: $first) { edges { cursor node { storefronts { platform { id name } paymentOptions { tool { id } } } } } } }
}`;

type PageAnswer = { platform: { merchants: { edges: { cursor: string; node: { storefronts: { platform: { id: string; name: string }; paymentOptions: unknown[] }[] } }[] } } };

let pageSize = 20;

/** Each storefront's platform as a page of the first merchants on Taobao answers it. */
async function pagePlatforms(): Promise<{ id: string; name: string }[]> {
  const response = await graph.query<PageAnswer>(PAGE, { first: pageSize++ });
  expect(response.errors).toBeUndefined();
  return response.data!.platform.merchants.edges.flatMap((edge) => edge.node.storefronts.map((storefront) => storefront.platform));
}

test("once held, a page of storefronts reads its root platform and its platforms' names in merchants: commerce is not asked", async () => {
  await everythingHeld();
  const platforms = new Map((await graph.stores.commerce.listPlatforms()).map((platform) => [platform.id, platform.name]));
  const asked = jest.spyOn(graph.stores.commerce, 'platformsByIds');
  const seen = await pagePlatforms();
  expect(seen.length).toBeGreaterThan(20);
  expect(new Set(seen.map((platform) => platform.id)).size).toBeGreaterThan(1);
  for (const platform of seen) expect(platform.name).toBe(platforms.get(platform.id));
  expect(asked).not.toHaveBeenCalled();
});

test("a platform's name commerce changes and announces is what the next page shows", async () => {
  await everythingHeld();
  const store = graph.stores.commerce;
  const renamed = <T extends { id: string; name: string } | null>(platform: T): T => (platform?.id === 'taobao' ? { ...platform, name: 'Taobao (renamed)' } : platform);
  const list = store.listPlatforms.bind(store);
  const byIds = store.platformsByIds.bind(store);
  jest.spyOn(store, 'listPlatforms').mockImplementation(async () => (await list()).map(renamed));
  jest.spyOn(store, 'platformsByIds').mockImplementation(async (ids) => (await byIds(ids)).map(renamed));
  const taobaoNames = async () => new Set((await pagePlatforms()).filter((platform) => platform.id === 'taobao').map((platform) => platform.name));
  await commerceRulesChanged(graph);
  expect(await taobaoNames()).toEqual(new Set(['Taobao (renamed)']));
  jest.restoreAllMocks();
  await commerceRulesChanged(graph);
  expect(await taobaoNames()).toEqual(new Set(['Taobao']));
});
