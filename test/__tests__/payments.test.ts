// Payments through the gateway, end to end: initiate, approve in the sandbox
// wallet, webhooks, refunds, every rule with its code, idempotency, cancel.
import { startGraph, type Graph } from '@interop/testing/harness';
import {
  approveAndSettle,
  codes,
  decide,
  freshKey,
  initiate,
  merchantWhere,
  OPTED_IN_TO_WECHAT_ON_TAOBAO,
  payment,
  PAYMENT_FIELDS,
  paymentRows,
  type PaymentView,
} from '@interop/testing/payments-helpers';

let graph: Graph;
let optedIn: string;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 300 });
  optedIn = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
});

const REFUND = /* GraphQL */ `mutation ($input: RefundPaymentInput!) {
  refundPayment(input: $input) { id status amount { amountMinor } payment { id status refundedAmount { amountMinor } } }
}`;
const CANCEL = /* GraphQL */ `mutation ($id: ID!, $key: String!) { cancelPayment(id: $id, idempotencyKey: $key) { id status nextAction { url } } }`;

type RefundView = { id: string; status: string; payment: { status: string; refundedAmount: { amountMinor: number } } };

function refund(paymentId: string, amountMinor: number, idempotencyKey = freshKey('refund')) {
  return graph.query<{ refundPayment: RefundView }>(REFUND, {
    input: { paymentId, amount: { amountMinor, currency: 'CNY' }, reason: 'customer returned the goods', idempotencyKey },
  });
}

async function started(input: Parameters<typeof initiate>[1]): Promise<PaymentView> {
  const response = await initiate(graph, input);
  expect(response.errors).toBeUndefined();
  const created = response.data?.initiatePayment;
  if (!created) throw new Error('no payment');
  return created;
}

describe('the whole flow', () => {
  test('initiate, approve in the wallet, SUCCEEDED, partial and full refund', async () => {
    const created = await started({ merchantId: optedIn, reference: 'order-flow' });
    expect(created).toMatchObject({
      status: 'REQUIRES_ACTION',
      reference: 'order-flow',
      amount: { amountMinor: 12_345, currency: 'CNY', formatted: '¥123.45' },
      platform: { id: 'taobao', name: 'Taobao' },
      merchant: { id: optedIn },
      tool: { id: 'wechat-pay', name: 'WeChat Pay' },
      nextAction: { type: 'QR_CODE' },
    });
    expect(created.nextAction?.url).toBe(`${graph.wallet.url}/sandbox/payments/${created.id}`);
    expect(Date.parse(created.nextAction?.expiresAt ?? '')).toBeGreaterThan(Date.now());

    // The buyer sees the payment in the wallet before approving it, with the names payments sent along.
    const page = await fetch(created.nextAction?.url ?? '');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('¥123.45');
    expect(html).toContain(`<dd>${created.merchant.name}</dd>`);
    expect(html).toContain('<dd>Taobao</dd>');
    expect(await graph.wallet.orders.get(created.id)).toMatchObject({ merchantName: created.merchant.name, platformName: 'Taobao' });

    const paid = await approveAndSettle(graph, created.id);
    expect(paid?.status).toBe('SUCCEEDED');
    expect(paid?.nextAction).toBeNull();
    expect(paid?.events.map((event) => [event.fromStatus, event.toStatus])).toEqual([
      [null, 'REQUIRES_ACTION'],
      ['REQUIRES_ACTION', 'PROCESSING'],
      ['PROCESSING', 'SUCCEEDED'],
    ]);

    const partial = await refund(created.id, 2_345);
    expect(partial.errors).toBeUndefined();
    expect(partial.data?.refundPayment).toMatchObject({
      status: 'SUCCEEDED',
      payment: { status: 'PARTIALLY_REFUNDED', refundedAmount: { amountMinor: 2_345 } },
    });
    const tooMuch = await refund(created.id, 10_001);
    expect(codes(tooMuch)).toEqual(['REFUND_EXCEEDS_CAPTURED']);
    const rest = await refund(created.id, 10_000);
    expect(rest.data?.refundPayment.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: { amountMinor: 12_345 } });
    expect(codes(await refund(created.id, 1))).toEqual(['INVALID_STATE']);

    const final = await payment(graph, created.id);
    expect(final?.refunds.map((r) => [r.status, r.amount.amountMinor])).toEqual([
      ['SUCCEEDED', 2_345],
      ['SUCCEEDED', 10_000],
    ]);
    expect(final?.events.at(-1)).toMatchObject({ fromStatus: 'PARTIALLY_REFUNDED', toStatus: 'REFUNDED' });
  });

  test('a declined payment is FAILED and cannot be refunded', async () => {
    const created = await started({ merchantId: optedIn, paymentToolId: 'alipay' });
    expect(created.nextAction?.type).toBe('REDIRECT');
    expect(await decide(graph, created.id, 'decline')).toBe(200);
    await graph.wallet.webhooks.idle();
    expect((await payment(graph, created.id))?.status).toBe('FAILED');
    expect(codes(await refund(created.id, 100))).toEqual(['INVALID_STATE']);
  });

  test("merchants and platforms list their payments, newest first, filtered by status", async () => {
    const first = await started({ merchantId: optedIn, paymentToolId: 'alipay' });
    const second = await started({ merchantId: optedIn, paymentToolId: 'alipay' });
    const response = await graph.query<{
      merchant: { name: string; payments: { edges: { node: { id: string; status: string } }[] } };
      platform: { payments: { edges: { node: { id: string } }[] } };
    }>(
      /* GraphQL */ `query ($id: ID!) {
        merchant(id: $id) { name payments(status: REQUIRES_ACTION, first: 2) { edges { node { id status } } } }
        platform(id: "taobao") { payments(first: 1) { edges { node { id } } } }
      }`,
      { id: optedIn },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.merchant.payments.edges.map((edge) => edge.node.id)).toEqual([second.id, first.id]);
    expect(response.data?.platform.payments.edges.map((edge) => edge.node.id)).toEqual([second.id]);
  });
});

describe('rules, each with its code, and nothing created', () => {
  test.each([
    ['a tool the merchant has not opened', { paymentToolId: 'wechat-pay' }, 'PAYMENT_TOOL_NOT_ACCEPTED', 'notOptedIn'],
    ['a tool the platform does not take', { paymentToolId: 'jd-pay' }, 'PAYMENT_TOOL_NOT_ACCEPTED', 'optedIn'],
    ['a merchant with no storefront on the platform', { paymentToolId: 'alipay' }, 'PAYMENT_TOOL_NOT_ACCEPTED', 'notOnTaobao'],
    ['a suspended merchant', { paymentToolId: 'alipay' }, 'MERCHANT_SUSPENDED', 'suspended'],
    ['a zero amount', { amount: { amountMinor: 0, currency: 'CNY' } }, 'INVALID_AMOUNT', 'optedIn'],
    ['a negative amount', { amount: { amountMinor: -5, currency: 'CNY' } }, 'INVALID_AMOUNT', 'optedIn'],
    ['another currency', { amount: { amountMinor: 100, currency: 'USD' } }, 'INVALID_AMOUNT', 'optedIn'],
    ['an amount over the tool limit', { paymentToolId: 'hebao', amount: { amountMinor: 2_000_001, currency: 'CNY' } }, 'AMOUNT_OVER_LIMIT', 'optedIn'],
    ['an unknown tool', { paymentToolId: 'nope' }, 'BAD_USER_INPUT', 'optedIn'],
    ['an unknown platform', { platformId: 'nope' }, 'BAD_USER_INPUT', 'optedIn'],
    ['an unknown merchant', {}, 'BAD_USER_INPUT', 'nobody'],
    ['an empty reference', { reference: ' ' }, 'BAD_USER_INPUT', 'optedIn'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'BAD_USER_INPUT', 'optedIn'],
  ] as const)('%s', async (_name, input, code, who) => {
    const merchants: Record<typeof who, () => Promise<string>> = {
      optedIn: async () => optedIn,
      notOptedIn: () =>
        merchantWhere(
          graph,
          `m.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')
           AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)`,
        ),
      notOnTaobao: () => merchantWhere(graph, `NOT EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`),
      suspended: () =>
        merchantWhere(graph, `m.status = 'SUSPENDED' AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`),
      nobody: async () => 'm9999999',
    };
    const before = await paymentRows(graph);
    const response = await initiate(graph, { merchantId: await merchants[who](), ...input });
    expect(codes(response)).toEqual([code]);
    expect(response.data?.initiatePayment ?? null).toBeNull();
    expect(await paymentRows(graph)).toBe(before);
  });
});

describe('idempotency', () => {
  test('the same key with the same input returns the same payment; with different input it is refused', async () => {
    const key = freshKey('same');
    const first = await started({ merchantId: optedIn, idempotencyKey: key });
    const again = await started({ merchantId: optedIn, idempotencyKey: key });
    expect(again.id).toBe(first.id);
    const before = await paymentRows(graph);
    const different = await initiate(graph, { merchantId: optedIn, idempotencyKey: key, amount: { amountMinor: 999, currency: 'CNY' } });
    expect(codes(different)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await paymentRows(graph)).toBe(before);
  });

  test('50 concurrent initiations with one key create exactly one payment', async () => {
    const key = freshKey('concurrent');
    const responses = await Promise.all(Array.from({ length: 50 }, () => initiate(graph, { merchantId: optedIn, idempotencyKey: key })));
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(new Set(responses.map((response) => response.data?.initiatePayment.id)).size).toBe(1);
    const [row] = await graph.stores.ledger.db.query<{ count: number }>('SELECT count(*)::int AS count FROM payment WHERE idempotency_key = $1', [key]);
    expect(row?.count).toBe(1);
  });

  test('a refund retried with its key is the same refund, and takes money back once', async () => {
    const created = await started({ merchantId: optedIn, paymentToolId: 'alipay', amount: { amountMinor: 1_000, currency: 'CNY' } });
    await approveAndSettle(graph, created.id);
    const key = freshKey('refund');
    const [a, b] = await Promise.all([refund(created.id, 600, key), refund(created.id, 600, key)]);
    expect(a.data?.refundPayment.id).toBe(b.data?.refundPayment.id);
    expect((await payment(graph, created.id))?.refundedAmount.amountMinor).toBe(600);
    expect(codes(await refund(created.id, 700, key))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});

describe('cancel', () => {
  test('an unpaid payment can be cancelled once; the wallet then refuses approval', async () => {
    const created = await started({ merchantId: optedIn, paymentToolId: 'alipay' });
    const key = freshKey('cancel');
    const cancelled = await graph.query<{ cancelPayment: { status: string; nextAction: null } }>(CANCEL, { id: created.id, key });
    expect(cancelled.data?.cancelPayment).toEqual({ id: created.id, status: 'CANCELED', nextAction: null });
    const retried = await graph.query(CANCEL, { id: created.id, key });
    expect(retried.errors).toBeUndefined();
    expect(codes(await graph.query(CANCEL, { id: created.id, key: freshKey('cancel') }))).toEqual(['INVALID_STATE']);
    expect(await decide(graph, created.id, 'approve')).toBe(409);
    expect((await payment(graph, created.id))?.status).toBe('CANCELED');
  });

  test('a paid payment cannot be cancelled', async () => {
    const created = await started({ merchantId: optedIn, paymentToolId: 'alipay' });
    await approveAndSettle(graph, created.id);
    expect(codes(await graph.query(CANCEL, { id: created.id, key: freshKey('cancel') }))).toEqual(['INVALID_STATE']);
  });

  test('an unknown payment is BAD_USER_INPUT', async () => {
    expect(codes(await graph.query(CANCEL, { id: 'pay_nope', key: freshKey('cancel') }))).toEqual(['BAD_USER_INPUT']);
  });
});

test('payment(id) is null for an unknown id', async () => {
  const response = await graph.query<{ payment: null }>(`{ payment(id: "pay_nope") { ${PAYMENT_FIELDS} } }`);
  expect(response.data).toEqual({ payment: null });
});
