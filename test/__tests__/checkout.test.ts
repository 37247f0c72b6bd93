// The checkout in context through the gateway: every tool once, available or
// unavailable with the first reason that applies; initiatePayment agreeing
// with it reason by reason; channels with their next actions, down to a QR
// code that scans; and checkoutOptions as exactly checkout.available.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { NO_RESPONSE_CACHE, startGraph, type Graph } from '@interop/testing/harness';
import { codes, commerceRulesChanged, commerceRuleStatus, freshKey, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, paymentRows, type PaymentView } from '@interop/testing/payments-helpers';

let graph: Graph;
const merchants: Record<'optedIn' | 'notOptedIn' | 'ineligible' | 'suspended' | 'notOnTaobao', string> = {
  optedIn: '',
  notOptedIn: '',
  ineligible: '',
  suspended: '',
  notOnTaobao: '',
};
const ALL_TOOLS = ['alipay', 'e-cny', 'hebao', 'jd-pay', 'unionpay-quickpass', 'wechat-pay', 'wing-pay'];
const onTaobao = `EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`;

beforeAll(async () => {
  // Some cases change facts by mocking the stores, which no event announces.
  graph = await startGraph({ merchantCount: 300, gateway: NO_RESPONSE_CACHE });
  merchants.optedIn = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  merchants.notOptedIn = await merchantWhere(
    graph,
    `m.status = 'ACTIVE' AND m.eligible AND ${onTaobao}
     AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`,
  );
  merchants.ineligible = await merchantWhere(graph, `m.status = 'ACTIVE' AND NOT m.eligible AND ${onTaobao}`);
  merchants.suspended = await merchantWhere(graph, `m.status = 'SUSPENDED' AND ${onTaobao}`);
  merchants.notOnTaobao = await merchantWhere(graph, `NOT ${onTaobao}`);
});

afterAll(async () => {
  await graph?.stop();
});

/** Whether a test changed commerce's rules, which are as seeded again once its mocks are restored. */
let rulesChanged = false;

afterEach(async () => {
  jest.restoreAllMocks();
  // Commerce says so, as it does when its rules change.
  if (rulesChanged) await commerceRulesChanged(graph);
  rulesChanged = false;
});

type Option = { rank: number; isDefault: boolean; nextActionType: string | null; tool: { id: string } };
type Unavailable = { reason: string; detail: string; tool: { id: string } };
type Checkout = { available: Option[]; unavailable: Unavailable[] };

const CHECKOUT = /* GraphQL */ `query ($platformId: ID!, $merchantId: ID!, $amount: MoneyInput, $channel: Channel) {
  checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {
    available { rank isDefault nextActionType tool { id } }
    unavailable { reason detail tool { id } }
  }
}`;

interface Ask {
  merchantId: string;
  platformId?: string;
  amount?: { amountMinor: number; currency: string };
  channel?: string;
}

async function checkout(ask: Ask): Promise<Checkout> {
  const response = await graph.query<{ checkout: Checkout }>(CHECKOUT, { platformId: 'taobao', ...ask });
  expect(response.errors).toBeUndefined();
  const result = response.data?.checkout;
  if (!result) throw new Error('no checkout');
  // Every tool the graph knows, exactly once.
  expect([...result.available, ...result.unavailable].map((entry) => entry.tool.id).sort()).toEqual(ALL_TOOLS);
  return result;
}

/** The facts as the demo data has them. */
const asSeeded = () => undefined;

/** Turns Taobao's Hebao rule into a PILOT, as commerce would state it; commerce announces the change unless `announced` is false. */
async function hebaoPilotOnTaobao({ announced = true } = {}): Promise<void> {
  rulesChanged = true;
  commerceRuleStatus(graph, 'taobao', 'hebao', 'PILOT');
  if (announced) await commerceRulesChanged(graph);
}

/** Payments suspends e-CNY. */
function eCnySuspended(): void {
  const store = graph.stores.payments;
  const real = store.toolsByIds.bind(store);
  jest.spyOn(store, 'toolsByIds').mockImplementation(async (ids) =>
    (await real(ids)).map((tool) => (tool?.id === 'e-cny' ? { ...tool, operationalStatus: 'SUSPENDED' } : tool)),
  );
}

test("a storefront's options through the graph follow a rule commerce changed and announced on the next request", async () => {
  const STOREFRONTS = /* GraphQL */ `
    query ($id: ID!) { merchant(id: $id) { storefronts { platform { id } paymentOptions { tool { id } } } } }
  `;
  type Storefronts = { merchant: { storefronts: { platform: { id: string }; paymentOptions: { tool: { id: string } }[] }[] } };
  const onTaobao = async () => {
    const response = await graph.query<Storefronts>(STOREFRONTS, { id: merchants.optedIn });
    expect(response.errors).toBeUndefined();
    return response.data?.merchant.storefronts.find((storefront) => storefront.platform.id === 'taobao')?.paymentOptions.map((option) => option.tool.id);
  };
  expect(await onTaobao()).toContain('hebao');
  await hebaoPilotOnTaobao();
  expect(await onTaobao()).not.toContain('hebao');
});

describe('each reason: the checkout lists the tool as unavailable with it, and initiatePayment refuses it alike', () => {
  test.each<[string, keyof typeof merchants, string, Omit<Ask, 'merchantId'>, string, string, () => void | Promise<void>]>([
    ['a tool the platform has no rule for', 'optedIn', 'jd-pay', {}, 'PLATFORM_NOT_ACCEPTING', 'PAYMENT_TOOL_NOT_ACCEPTED', asSeeded],
    ['a merchant with no storefront on the platform', 'notOnTaobao', 'alipay', {}, 'PLATFORM_NOT_ACCEPTING', 'PAYMENT_TOOL_NOT_ACCEPTED', asSeeded],
    ['a rule still in PILOT', 'optedIn', 'hebao', {}, 'NOT_YET_LIVE', 'PAYMENT_TOOL_NOT_ACCEPTED', hebaoPilotOnTaobao],
    ['a tool payments has suspended', 'optedIn', 'e-cny', {}, 'TOOL_UNAVAILABLE', 'PAYMENT_TOOL_NOT_ACCEPTED', eCnySuspended],
    ['a suspended merchant', 'suspended', 'alipay', {}, 'MERCHANT_SUSPENDED', 'MERCHANT_SUSPENDED', asSeeded],
    ['an ineligible merchant and an opt-in tool', 'ineligible', 'wechat-pay', {}, 'MERCHANT_INELIGIBLE', 'PAYMENT_TOOL_NOT_ACCEPTED', asSeeded],
    ['an eligible merchant that has not opened the opt-in tool', 'notOptedIn', 'wechat-pay', {}, 'MERCHANT_NOT_OPTED_IN', 'PAYMENT_TOOL_NOT_ACCEPTED', asSeeded],
    ['a channel the tool does not work on', 'optedIn', 'wechat-pay', { channel: 'MINI_PROGRAM' }, 'CHANNEL_NOT_SUPPORTED', 'PAYMENT_TOOL_NOT_ACCEPTED', asSeeded],
    ['an amount under the tool minimum', 'optedIn', 'unionpay-quickpass', { amount: { amountMinor: 99, currency: 'CNY' } }, 'UNDER_LIMIT', 'INVALID_AMOUNT', asSeeded],
    ['an amount over the tool maximum', 'optedIn', 'hebao', { amount: { amountMinor: 2_000_001, currency: 'CNY' } }, 'OVER_LIMIT', 'AMOUNT_OVER_LIMIT', asSeeded],
  ])('%s', async (_name, who, toolId, context, reason, code, arrange) => {
    await arrange();
    const merchantId = merchants[who];
    const result = await checkout({ merchantId, ...context });
    const entry = result.unavailable.find((u) => u.tool.id === toolId);
    expect(entry?.reason).toBe(reason);
    expect(entry?.detail).not.toBe('');

    const before = await paymentRows(graph);
    const refused = await initiate(graph, { merchantId, paymentToolId: toolId, ...context });
    expect(codes(refused)).toEqual([code]);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ reason, paymentToolId: toolId });
    expect(await paymentRows(graph)).toBe(before);

    // Whatever is available in the same context can be paid with.
    const [first] = result.available;
    if (first) {
      const paid = await initiate(graph, { merchantId, paymentToolId: first.tool.id, ...context });
      expect(paid.errors).toBeUndefined();
      expect(paid.data?.initiatePayment.status).toBe('REQUIRES_ACTION');
    }
  });

  test('the precedence decides between reasons: a suspended merchant is told the platform does not take JD Pay at all', async () => {
    const result = await checkout({ merchantId: merchants.suspended, amount: { amountMinor: 99, currency: 'CNY' }, channel: 'WEB' });
    const reasons = Object.fromEntries(result.unavailable.map((u) => [u.tool.id, u.reason]));
    expect(result.available).toEqual([]);
    expect(reasons).toMatchObject({ 'jd-pay': 'PLATFORM_NOT_ACCEPTING', alipay: 'MERCHANT_SUSPENDED', hebao: 'MERCHANT_SUSPENDED' });
    expect(codes(await initiate(graph, { merchantId: merchants.suspended, paymentToolId: 'jd-pay' }))).toEqual(['PAYMENT_TOOL_NOT_ACCEPTED']);
  });

  test('an opted-in Taobao merchant: six tools in rank order, JD Pay unavailable, unavailable ordered by tool id', async () => {
    const result = await checkout({ merchantId: merchants.optedIn });
    expect(result.available.map((option) => [option.tool.id, option.rank, option.isDefault, option.nextActionType])).toEqual([
      ['alipay', 1, true, null],
      ['wechat-pay', 2, false, null],
      ['unionpay-quickpass', 3, false, null],
      ['e-cny', 4, false, null],
      ['wing-pay', 5, false, null],
      ['hebao', 6, false, null],
    ]);
    expect(result.unavailable.map((u) => [u.tool.id, u.reason])).toEqual([['jd-pay', 'PLATFORM_NOT_ACCEPTING']]);
  });

  test('an amount that is not a positive CNY amount is INVALID_AMOUNT, as for initiatePayment', async () => {
    for (const amount of [{ amountMinor: 0, currency: 'CNY' }, { amountMinor: 100, currency: 'USD' }]) {
      const response = await graph.query(CHECKOUT, { platformId: 'taobao', merchantId: merchants.optedIn, amount });
      expect(codes(response)).toEqual(['INVALID_AMOUNT']);
    }
  });
});

describe('checkoutOptions', () => {
  test('is exactly checkout(...).available with no amount and no channel, for every kind of merchant and platform', async () => {
    const ids = [...Object.values(merchants), await merchantWhere(graph, `m.category = 'RESTAURANT' AND m.status = 'ACTIVE'`)];
    const platforms = ['taobao', 'ele-me', 'meituan-waimai', 'jd', 'alipay-app'];
    const pairs = ids.flatMap((merchantId) => platforms.map((platformId) => ({ merchantId, platformId })));
    const fields = 'rank isDefault nextActionType tool { id name }';
    let nonEmpty = 0;
    // One request per pair: the gateway's alias limit would refuse them all in one.
    for (const pair of pairs) {
      const response = await graph.query<{ o: Option[]; c: { available: Option[] } }>(
        `query ($platformId: ID!, $merchantId: ID!) {
          o: checkoutOptions(platformId: $platformId, merchantId: $merchantId) { ${fields} }
          c: checkout(platformId: $platformId, merchantId: $merchantId) { available { ${fields} } }
        }`,
        pair,
      );
      expect(response.errors).toBeUndefined();
      const options = response.data?.o ?? [];
      expect([pair, options]).toEqual([pair, response.data?.c.available]);
      if (options.length > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(3);
  });
});

describe('channels and next actions', () => {
  test('each tool lists its channels with the next action there; WeChat Pay jumps to the app from APP and H5 and shows a QR code on WEB', async () => {
    type Tool = { id: string; channels: { channel: string; nextActionType: string; source: string }[] };
    const response = await graph.query<{ paymentTools: Tool[] }>(/* GraphQL */ `{ paymentTools { id channels { channel nextActionType source } } }`);
    expect(response.errors).toBeUndefined();
    const byId = new Map((response.data?.paymentTools ?? []).map((tool) => [tool.id, tool.channels]));
    const actions = (id: string) => (byId.get(id) ?? []).map((c) => [c.channel, c.nextActionType]);
    expect(actions('wechat-pay')).toEqual([
      ['APP', 'REDIRECT'],
      ['WEB', 'QR_CODE'],
      ['H5', 'REDIRECT'],
    ]);
    expect(actions('alipay')).toEqual(['APP', 'MINI_PROGRAM', 'WEB', 'H5'].map((channel) => [channel, 'REDIRECT']));
    expect(byId.get('wechat-pay')?.find((c) => c.channel === 'APP')?.source).toContain('jump to wechat');
    for (const channels of byId.values()) {
      expect(channels.length).toBeGreaterThan(0);
      for (const entry of channels) expect(entry.source).not.toBe('');
    }
  });

  test.each([
    ['WEB', { 'wechat-pay': 'QR_CODE', alipay: 'REDIRECT', 'unionpay-quickpass': 'QR_CODE' }, ['hebao', 'wing-pay']],
    ['APP', { 'wechat-pay': 'REDIRECT', alipay: 'REDIRECT', hebao: 'REDIRECT' }, []],
    ['H5', { 'wechat-pay': 'REDIRECT', alipay: 'REDIRECT' }, []],
    ['MINI_PROGRAM', { alipay: 'REDIRECT' }, ['e-cny', 'hebao', 'unionpay-quickpass', 'wechat-pay', 'wing-pay']],
  ] as const)('on %s each available option says its next action; tools that do not work there are CHANNEL_NOT_SUPPORTED', async (channel, expected, notSupported) => {
    const result = await checkout({ merchantId: merchants.optedIn, channel });
    const actions = Object.fromEntries(result.available.map((option) => [option.tool.id, option.nextActionType]));
    expect(actions).toMatchObject(expected);
    expect(Object.values(actions)).not.toContain(null);
    expect(result.unavailable.filter((u) => u.reason === 'CHANNEL_NOT_SUPPORTED').map((u) => u.tool.id)).toEqual(notSupported);
    expect(result.available[0]?.isDefault).toBe(true);
  });

  async function started(input: Parameters<typeof initiate>[1]): Promise<PaymentView> {
    const response = await initiate(graph, input, { withQrCode: true });
    expect(response.errors).toBeUndefined();
    const payment = response.data?.initiatePayment;
    if (!payment) throw new Error('no payment');
    return payment;
  }

  test('WeChat Pay on WEB: a QR code image that scans to the approval page', async () => {
    const payment = await started({ merchantId: merchants.optedIn, channel: 'WEB' });
    expect(payment.channel).toBe('WEB');
    expect(payment.nextAction?.type).toBe('QR_CODE');
    expect(payment.nextAction?.url).toBe(`${graph.wallet.url}/sandbox/payments/${payment.id}?channel=WEB`);
    const qrCode = payment.nextAction?.qrCode ?? '';
    expect(qrCode.startsWith('data:image/png;base64,')).toBe(true);
    const png = PNG.sync.read(Buffer.from(qrCode.slice('data:image/png;base64,'.length), 'base64'));
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned?.data).toBe(payment.nextAction?.url);
    // The page it opens is the wallet's approval page.
    expect((await fetch(scanned?.data ?? '')).status).toBe(200);
  });

  test.each([
    ['wechat-pay', 'APP', 'REDIRECT'],
    ['wechat-pay', 'H5', 'REDIRECT'],
    ['alipay', 'WEB', 'REDIRECT'],
    ['alipay', 'MINI_PROGRAM', 'REDIRECT'],
    ['unionpay-quickpass', 'WEB', 'QR_CODE'],
  ])('%s on %s: %s', async (paymentToolId, channel, type) => {
    const payment = await started({ merchantId: merchants.optedIn, paymentToolId, channel });
    expect(payment.nextAction?.type).toBe(type);
    expect(payment.nextAction?.qrCode === null).toBe(type === 'REDIRECT');
    expect(payment.nextAction?.url).toBe(`${graph.wallet.url}/sandbox/payments/${payment.id}?channel=${channel}`);
  });

  test('without a channel: the action on WEB where the tool works there, else on its first channel', async () => {
    const wechat = await started({ merchantId: merchants.optedIn });
    expect([wechat.channel, wechat.nextAction?.type, wechat.nextAction?.url]).toEqual([null, 'QR_CODE', `${graph.wallet.url}/sandbox/payments/${wechat.id}`]);
    const hebao = await started({ merchantId: merchants.optedIn, paymentToolId: 'hebao' });
    expect(hebao.nextAction?.type).toBe('REDIRECT');
  });

  test('the channel is part of the request an idempotency key stands for', async () => {
    const key = freshKey('channel');
    const first = await started({ merchantId: merchants.optedIn, channel: 'APP', idempotencyKey: key });
    expect((await started({ merchantId: merchants.optedIn, channel: 'APP', idempotencyKey: key })).id).toBe(first.id);
    expect(codes(await initiate(graph, { merchantId: merchants.optedIn, channel: 'WEB', idempotencyKey: key }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});
