/** @backend-contract held facts follow fact events through Redis when there is one */
// Payments holds the facts a checkout reads from commerce and merchants while
// it hears their fact events: once held, a checkout for any merchant asks
// neither owner, and an opt-in changed through the graph is what the very
// next request sees.
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
