// Merchants opening and closing payment tools through the gateway, and what
// that changes at checkout and for initiatePayment.
import { startGraph, type Graph } from '@interop/testing/harness';
import { codes, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO } from '@interop/testing/payments-helpers';

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

describe('the enrolment lifecycle through the gateway', () => {
  type Enrolment = { tool: { id: string }; status: string; since: string; history: { status: string; at: string }[] };
  type Lifecycle = { id: string; enrolledTools: { id: string }[]; enrolments: Enrolment[] };
  const FIELDS = 'id enrolledTools { id } enrolments { tool { id } status since history { status at } }';
  const OPEN_LIFECYCLE = /* GraphQL */ `mutation ($m: ID!) { openPaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { ${FIELDS} } }`;
  const CLOSE_LIFECYCLE = /* GraphQL */ `mutation ($m: ID!) { closePaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { ${FIELDS} } }`;
  const STATE = /* GraphQL */ `query ($m: ID!) {
    merchant(id: $m) { storefront(platformId: "taobao") { ${FIELDS} } }
    checkout(platformId: "taobao", merchantId: $m) { available { tool { id } } unavailable { tool { id } reason } }
    merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 100) { edges { node { id } } }
  }`;
  type State = {
    merchant: { storefront: Lifecycle };
    checkout: { available: { tool: { id: string } }[]; unavailable: { tool: { id: string }; reason: string }[] };
    merchants: { edges: { node: { id: string } }[] };
  };

  async function state(merchantId: string) {
    const response = await graph.query<State>(STATE, { m: merchantId });
    expect(response.errors).toBeUndefined();
    const data = response.data;
    if (!data) throw new Error('no data');
    return {
      enrolments: data.merchant.storefront.enrolments,
      enrolledTools: data.merchant.storefront.enrolledTools.map((tool) => tool.id),
      wechatAtCheckout: data.checkout.available.some((o) => o.tool.id === 'wechat-pay')
        ? 'AVAILABLE'
        : data.checkout.unavailable.find((u) => u.tool.id === 'wechat-pay')?.reason,
      foundByToolFilter: data.merchants.edges.some((edge) => edge.node.id === merchantId),
    };
  }

  const statuses = (enrolment: Enrolment | undefined) => enrolment?.history.map((event) => event.status);

  function expectWellFormed(enrolment: Enrolment | undefined) {
    const times = (enrolment?.history ?? []).map((event) => Date.parse(event.at));
    expect(times.every((time, i) => Number.isFinite(time) && (i === 0 || time >= (times[i - 1] ?? time)))).toBe(true);
    expect(enrolment?.since).toBe(enrolment?.history.at(-1)?.at);
    expect(enrolment?.status).toBe(enrolment?.history.at(-1)?.status);
  }

  test('open: REQUESTED, PENDING_REVIEW, ACTIVE; close: INACTIVE, kept; reopen starts again; only ACTIVE counts everywhere', async () => {
    // Among the first 100 Taobao merchants, so the tool filter's first page shows it.
    const merchantId = await merchantWhere(
      graph,
      `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao} AND ${notOptedIn}
       AND m.seq <= (SELECT max(seq) FROM (SELECT s.merchant_seq AS seq FROM storefront s WHERE s.platform_id = 'taobao' ORDER BY s.merchant_seq LIMIT 100) AS firsts)`,
    );
    expect(await state(merchantId)).toEqual({ enrolments: [], enrolledTools: [], wechatAtCheckout: 'MERCHANT_NOT_OPTED_IN', foundByToolFilter: false });

    const opened = await graph.query<{ openPaymentTool: Lifecycle }>(OPEN_LIFECYCLE, { m: merchantId });
    expect(opened.errors).toBeUndefined();
    const [enrolment] = opened.data?.openPaymentTool.enrolments ?? [];
    expect(enrolment).toMatchObject({ tool: { id: 'wechat-pay' }, status: 'ACTIVE' });
    expect(statuses(enrolment)).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE']);
    expectWellFormed(enrolment);
    expect(await state(merchantId)).toMatchObject({ enrolledTools: ['wechat-pay'], wechatAtCheckout: 'AVAILABLE', foundByToolFilter: true });

    const closed = await graph.query<{ closePaymentTool: Lifecycle }>(CLOSE_LIFECYCLE, { m: merchantId });
    const [inactive] = closed.data?.closePaymentTool.enrolments ?? [];
    expect(statuses(inactive)).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE']);
    expectWellFormed(inactive);
    expect(await state(merchantId)).toMatchObject({ enrolledTools: [], wechatAtCheckout: 'MERCHANT_NOT_OPTED_IN', foundByToolFilter: false });
    // Closing again changes nothing.
    const again = await graph.query<{ closePaymentTool: Lifecycle }>(CLOSE_LIFECYCLE, { m: merchantId });
    expect(again.data?.closePaymentTool.enrolments).toEqual([inactive]);

    const reopened = await graph.query<{ openPaymentTool: Lifecycle }>(OPEN_LIFECYCLE, { m: merchantId });
    const [active] = reopened.data?.openPaymentTool.enrolments ?? [];
    expect(statuses(active)).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE', 'REQUESTED', 'PENDING_REVIEW', 'ACTIVE']);
    expectWellFormed(active);
    expect(await state(merchantId)).toMatchObject({ enrolledTools: ['wechat-pay'], wechatAtCheckout: 'AVAILABLE', foundByToolFilter: true });
  });

  test('demo opt-ins are ACTIVE enrolments with their history', async () => {
    const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
    const { enrolments } = await state(merchantId);
    expect(enrolments.map((e) => [e.tool.id, e.status])).toEqual([['wechat-pay', 'ACTIVE']]);
    expect(statuses(enrolments[0])).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE']);
    expectWellFormed(enrolments[0]);
  });
});
