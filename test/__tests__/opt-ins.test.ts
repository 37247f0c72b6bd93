// Merchants opening and closing payment tools through the gateway, and what
// that changes at checkout and for initiatePayment.
import { startGraph, type Graph } from '../harness';
import { codes, initiate, merchantWhere } from '../payments-helpers';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 200 });
});

afterAll(async () => {
  await graph?.stop();
});

const OPEN = /* GraphQL */ `mutation ($m: ID!, $p: ID!, $t: ID!) {
  openPaymentTool(merchantId: $m, platformId: $p, paymentToolId: $t) { id enrolledTools { id } paymentOptions { tool { id } } }
}`;
const CLOSE = /* GraphQL */ `mutation ($m: ID!, $p: ID!, $t: ID!) {
  closePaymentTool(merchantId: $m, platformId: $p, paymentToolId: $t) { id enrolledTools { id } paymentOptions { tool { id } } }
}`;

type StorefrontView = { id: string; enrolledTools: { id: string }[]; paymentOptions: { tool: { id: string } }[] };

const onTaobao = `EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`;
const notOptedIn = `NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)`;

test('an eligible merchant opens WeChat Pay on Taobao: it becomes a checkout option and can be paid with; closing it removes it', async () => {
  const merchantId = await merchantWhere(graph, `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao} AND ${notOptedIn}`);
  expect(codes(await initiate(graph, { merchantId }))).toEqual(['PAYMENT_TOOL_NOT_ACCEPTED']);

  const opened = await graph.query<{ openPaymentTool: StorefrontView }>(OPEN, { m: merchantId, p: 'taobao', t: 'wechat-pay' });
  expect(opened.errors).toBeUndefined();
  expect(opened.data?.openPaymentTool.id).toBe(`${merchantId}:taobao`);
  expect(opened.data?.openPaymentTool.enrolledTools).toEqual([{ id: 'wechat-pay' }]);
  expect(opened.data?.openPaymentTool.paymentOptions.map((o) => o.tool.id)).toContain('wechat-pay');
  // Opening again changes nothing.
  const again = await graph.query<{ openPaymentTool: StorefrontView }>(OPEN, { m: merchantId, p: 'taobao', t: 'wechat-pay' });
  expect(again.data?.openPaymentTool.enrolledTools).toEqual([{ id: 'wechat-pay' }]);

  const paid = await initiate(graph, { merchantId });
  expect(paid.errors).toBeUndefined();
  expect(paid.data?.initiatePayment.status).toBe('REQUIRES_ACTION');

  const closed = await graph.query<{ closePaymentTool: StorefrontView }>(CLOSE, { m: merchantId, p: 'taobao', t: 'wechat-pay' });
  expect(closed.data?.closePaymentTool.enrolledTools).toEqual([]);
  expect(closed.data?.closePaymentTool.paymentOptions.map((o) => o.tool.id)).not.toContain('wechat-pay');
  expect(codes(await initiate(graph, { merchantId }))).toEqual(['PAYMENT_TOOL_NOT_ACCEPTED']);
});

test.each([
  ['a suspended merchant', `m.status = 'SUSPENDED' AND ${onTaobao}`, 'taobao', 'wechat-pay', 'MERCHANT_SUSPENDED'],
  ['an ineligible merchant', `m.status = 'ACTIVE' AND NOT m.eligible AND ${onTaobao}`, 'taobao', 'wechat-pay', 'MERCHANT_INELIGIBLE'],
  ['a tool the platform takes without opt-in', `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao}`, 'taobao', 'alipay', 'PAYMENT_TOOL_NOT_ACCEPTED'],
  ['a tool the platform has no rule for', `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao}`, 'taobao', 'jd-pay', 'PAYMENT_TOOL_NOT_ACCEPTED'],
  ['an unknown tool', `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao}`, 'taobao', 'nope', 'BAD_USER_INPUT'],
  ['a platform the merchant is not on', `m.status = 'ACTIVE' AND m.eligible AND NOT ${onTaobao}`, 'taobao', 'wechat-pay', 'BAD_USER_INPUT'],
])('opening for %s is refused with its code and changes nothing', async (_name, where, platformId, toolId, code) => {
  const merchantId = await merchantWhere(graph, where);
  const [before] = await graph.stores.merchants.db.query<{ count: number }>('SELECT count(*)::int AS count FROM enrolment');
  expect(codes(await graph.query(OPEN, { m: merchantId, p: platformId, t: toolId }))).toEqual([code]);
  const [after] = await graph.stores.merchants.db.query<{ count: number }>('SELECT count(*)::int AS count FROM enrolment');
  expect(after).toEqual(before);
});

test('an unknown merchant is BAD_USER_INPUT for open and close', async () => {
  expect(codes(await graph.query(OPEN, { m: 'm9999999', p: 'taobao', t: 'wechat-pay' }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await graph.query(CLOSE, { m: 'm9999999', p: 'taobao', t: 'wechat-pay' }))).toEqual(['BAD_USER_INPUT']);
});
