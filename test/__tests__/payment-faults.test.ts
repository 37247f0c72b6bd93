// Payments when things go wrong: an owner of the facts or the wallet does not
// answer (fail closed, nothing created), unpaid payments expire.
import { startGraph, type Graph } from '@interop/testing/harness';
import { codes, decide, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment, paymentRows } from '@interop/testing/payments-helpers';

describe('a dependency that does not answer', () => {
  let graph: Graph;
  let merchantId: string;

  beforeEach(async () => {
    // A stopped dependency refuses at once; the peers' usual timeout stays, so a
    // stall of the shared event loop cannot make a slow answer from the other
    // one fail first and be named instead.
    graph = await startGraph({ merchantCount: 100 });
    merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  });

  afterEach(async () => {
    await graph?.stop();
  });

  test.each(['merchants', 'commerce'] as const)('%s down: DEPENDENCY_UNAVAILABLE naming it, and no payment row', async (name) => {
    await graph.subgraphs[name].stop();
    const response = await initiate(graph, { merchantId });
    expect(codes(response)).toEqual(['DEPENDENCY_UNAVAILABLE']);
    expect(response.errors?.[0]?.extensions?.dependency).toBe(name);
    expect(await paymentRows(graph)).toBe(0);
  });

  test('wallet down: DEPENDENCY_UNAVAILABLE, and the payment the buyer could never pay is recorded FAILED', async () => {
    await graph.wallet.stop();
    const key = 'wallet-down-key';
    const response = await initiate(graph, { merchantId, idempotencyKey: key });
    expect(codes(response)).toEqual(['DEPENDENCY_UNAVAILABLE']);
    const paymentId = response.errors?.[0]?.extensions?.paymentId;
    expect(typeof paymentId).toBe('string');
    expect((await payment(graph, String(paymentId)))?.status).toBe('FAILED');
    // Retrying with the key shows the outcome instead of creating another payment.
    const retried = await initiate(graph, { merchantId, idempotencyKey: key });
    expect(retried.data?.initiatePayment.id).toBe(paymentId);
    expect(await paymentRows(graph)).toBe(1);
  });
});

describe('expiry', () => {
  let graph: Graph;

  beforeAll(async () => {
    graph = await startGraph({ merchantCount: 100, paymentTtlSeconds: 1, expirySweepMs: 100 });
  });

  afterAll(async () => {
    await graph?.stop();
  });

  test('an unpaid payment expires after its time; the wallet then refuses approval', async () => {
    const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
    const created = (await initiate(graph, { merchantId })).data?.initiatePayment;
    if (!created) throw new Error('not created');
    const deadline = Date.now() + 5_000;
    let status = created.status;
    while (status !== 'EXPIRED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await payment(graph, created.id))?.status ?? 'gone';
    }
    expect(status).toBe('EXPIRED');
    const view = await payment(graph, created.id);
    expect(view?.nextAction).toBeNull();
    expect(view?.events.at(-1)).toMatchObject({ fromStatus: 'REQUIRES_ACTION', toStatus: 'EXPIRED', cause: 'expiry' });
    expect(await decide(graph, created.id, 'approve')).toBe(410);
  });
});
