// The partner SDK against the running graph: typed reads and the payment
// lifecycle, errors as typed codes, and retries that are made only when safe
// and always with the call's one idempotency key.
import { setTimeout as sleep } from 'node:timers/promises';
import { createInteropClient, InteropError, InteropTransportError, type InteropClientOptions } from '@interop/sdk';
import type { RunningGateway } from '@interop/gateway';
import { startGatewayFor, startGraph, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { mintToken, PARTNER_A } from '@interop/testing/identities';
import { decide, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, paymentRows } from '@interop/testing/payments-helpers';
import { startProxy, type Proxy } from '@interop/testing/proxy';

useEmbeddedBackends();

let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  graph = await startGraph();
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
});

interface Sent {
  body: { query: string; variables: Record<string, unknown> };
  /** The first error code of the answer, or null for an answer without errors or no answer at all. */
  code: string | null;
}

/** A fetch that records every request the SDK sends and the code each answer carried. */
function recordingFetch(options: { dropAnswers?: number; beforeAttempt?: (attempt: number) => void } = {}) {
  const sent: Sent[] = [];
  let drop = options.dropAnswers ?? 0;
  const recording: typeof fetch = async (input, init) => {
    const entry: Sent = { body: JSON.parse(String(init?.body)) as Sent['body'], code: null };
    sent.push(entry);
    options.beforeAttempt?.(sent.length);
    const response = await fetch(input, init);
    const answer = (await response.clone().json().catch(() => null)) as { errors?: { extensions?: { code?: string } }[] } | null;
    entry.code = answer?.errors?.[0]?.extensions?.code ?? null;
    if (drop > 0) {
      // The graph did the work; the answer is lost on the way back.
      drop -= 1;
      await response.arrayBuffer();
      throw new TypeError('fetch failed');
    }
    return response;
  };
  return { fetch: recording, sent };
}

const clientFor = (gateway: RunningGateway, options: Partial<InteropClientOptions> = {}) =>
  createInteropClient({ url: gateway.url, apiKey: PARTNER_A.key, retryDelayMs: 10, ...options } as InteropClientOptions);

const newPayment = (amountMinor = 12_345) => ({
  platformId: 'taobao',
  merchantId,
  paymentToolId: 'wechat-pay',
  amount: { amountMinor, currency: 'CNY' as const },
  reference: 'sdk-order',
  channel: 'WEB' as const,
});

const keyOf = (sent: Sent): unknown => {
  const variables = sent.body.variables;
  return (variables['input'] as { idempotencyKey?: string } | undefined)?.idempotencyKey ?? variables['idempotencyKey'];
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('reads', () => {
  test('platformAcceptance gives the platform and its rule per tool; an unknown platform is null', async () => {
    const client = createInteropClient({ url: graph.gateway.url });
    const taobao = await client.platformAcceptance('taobao');
    expect(taobao?.name).toBe('Taobao');
    const wechat = taobao?.acceptedPaymentTools?.find((acceptance) => acceptance.tool.id === 'wechat-pay');
    expect(wechat).toMatchObject({ status: 'ROLLING_OUT', requiresMerchantOptIn: true });
    expect(await client.platformAcceptance('no-such-platform')).toBeNull();
  });

  test('checkout lists every tool once, available with its next action on the channel or unavailable with a reason', async () => {
    const checkout = await clientFor(graph.gateway).checkout({ platformId: 'taobao', merchantId, amount: { amountMinor: 19_900, currency: 'CNY' }, channel: 'WEB' });
    const ids = [...checkout.available, ...checkout.unavailable].map((option) => option.tool.id);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toHaveLength(7);
    expect(checkout.available.find((option) => option.tool.id === 'wechat-pay')?.nextActionType).toBe('QR_CODE');
    expect(checkout.available[0]?.isDefault).toBe(true);
    expect(checkout.unavailable.every((option) => option.reason.length > 0)).toBe(true);
  });
});

describe('the payment lifecycle', () => {
  test('initiate, approve in the wallet, SUCCEEDED, then refund part of it', async () => {
    const client = clientFor(graph.gateway);
    const created = await client.initiatePayment(newPayment(20_000));
    expect(created.status).toBe('REQUIRES_ACTION');
    expect(created.nextAction?.type).toBe('QR_CODE');

    expect(await decide(graph, created.id, 'approve')).toBe(200);
    await graph.wallet.webhooks.idle();
    const paid = await client.payment(created.id);
    expect(paid?.status).toBe('SUCCEEDED');
    expect(paid?.events.map((event) => event.toStatus)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);

    const refund = await client.refundPayment({ paymentId: created.id, amount: { amountMinor: 5_000, currency: 'CNY' }, reason: 'one item returned' });
    expect(refund.status).toBe('SUCCEEDED');
    expect(refund.payment.status).toBe('PARTIALLY_REFUNDED');
    expect(refund.payment.refundedAmount.amountMinor).toBe(5_000);
  });

  test('cancel an unpaid payment; cancelling it again is INVALID_STATE', async () => {
    const client = clientFor(graph.gateway);
    const created = await client.initiatePayment(newPayment());
    expect((await client.cancelPayment(created.id)).status).toBe('CANCELED');
    const again = await rejection(client.cancelPayment(created.id));
    expect(again).toBeInstanceOf(InteropError);
    expect((again as InteropError).code).toBe('INVALID_STATE');
    expect((again as InteropError).extensions['status']).toBe('CANCELED');
  });

  test('a token works as a credential like an API key', async () => {
    const token = (await mintToken({ partnerId: PARTNER_A.caller.partnerId ?? '' })).authorization?.replace(/^Bearer /, '') ?? '';
    const client = createInteropClient({ url: graph.gateway.url, token });
    const created = await client.initiatePayment(newPayment());
    expect((await clientFor(graph.gateway).payment(created.id))?.id).toBe(created.id);
  });
});

describe('errors', () => {
  test('a business error is an InteropError with its code, sent once and never retried, and creates nothing', async () => {
    const recorder = recordingFetch();
    const before = await paymentRows(graph);
    const error = await rejection(clientFor(graph.gateway, { fetch: recorder.fetch }).initiatePayment(newPayment(100_000_000)));
    expect(error).toBeInstanceOf(InteropError);
    expect((error as InteropError).code).toBe('AMOUNT_OVER_LIMIT');
    expect((error as InteropError).extensions['reason']).toBe('OVER_LIMIT');
    expect((error as InteropError).attempts).toBe(1);
    expect((error as InteropError).idempotencyKey).toBe(keyOf(recorder.sent[0]!));
    expect(recorder.sent).toHaveLength(1);
    expect(await paymentRows(graph)).toBe(before);
  });

  test('a refund over what is left is REFUND_EXCEEDS_CAPTURED with what is refundable, not retried', async () => {
    const client = clientFor(graph.gateway);
    const created = await client.initiatePayment(newPayment(3_000));
    await decide(graph, created.id, 'approve');
    await graph.wallet.webhooks.idle();
    const recorder = recordingFetch();
    const error = await rejection(
      clientFor(graph.gateway, { fetch: recorder.fetch }).refundPayment({ paymentId: created.id, amount: { amountMinor: 3_001, currency: 'CNY' }, reason: 'too much' }),
    );
    expect((error as InteropError).code).toBe('REFUND_EXCEEDS_CAPTURED');
    expect((error as InteropError).extensions['refundableMinor']).toBe(3_000);
    expect(recorder.sent).toHaveLength(1);
  });

  test('an unknown API key is UNAUTHENTICATED with HTTP 401, not retried', async () => {
    const recorder = recordingFetch();
    const error = await rejection(clientFor(graph.gateway, { apiKey: 'no-such-key', fetch: recorder.fetch }).payment('pay_x'));
    expect((error as InteropError).code).toBe('UNAUTHENTICATED');
    expect((error as InteropError).status).toBe(401);
    expect(recorder.sent).toHaveLength(1);
  });

  test('no answer at all, after every retry, is an InteropTransportError', async () => {
    const recorder = recordingFetch({ dropAnswers: 3 });
    const error = await rejection(clientFor(graph.gateway, { fetch: recorder.fetch, retries: 2 }).platformAcceptance('taobao'));
    expect(error).toBeInstanceOf(InteropTransportError);
    expect((error as InteropTransportError).reason).toBe('network');
    expect((error as InteropTransportError).attempts).toBe(3);
    expect(recorder.sent).toHaveLength(3);
  });
});

describe('retries reuse the call’s idempotency key', () => {
  test('an answer lost after the graph created the payment: the retry gets that payment, and only one exists', async () => {
    const recorder = recordingFetch({ dropAnswers: 1 });
    const before = await paymentRows(graph);
    const created = await clientFor(graph.gateway, { fetch: recorder.fetch }).initiatePayment(newPayment());
    expect(recorder.sent).toHaveLength(2);
    expect(keyOf(recorder.sent[0]!)).toBe(keyOf(recorder.sent[1]!));
    expect(recorder.sent[1]!.code).toBeNull();
    expect(await paymentRows(graph)).toBe(before + 1);
    expect((await clientFor(graph.gateway).payment(created.id))?.status).toBe('REQUIRES_ACTION');
  });

  test('a key the caller gives is the one sent, and replays the same payment', async () => {
    const client = clientFor(graph.gateway);
    const first = await client.initiatePayment(newPayment(), { idempotencyKey: 'sdk-order-7-attempt-1' });
    const again = await client.initiatePayment(newPayment(), { idempotencyKey: 'sdk-order-7-attempt-1' });
    expect(again.id).toBe(first.id);
    const reused = await rejection(client.initiatePayment(newPayment(999), { idempotencyKey: 'sdk-order-7-attempt-1' }));
    expect((reused as InteropError).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  describe('through a gateway whose payments subgraph fails', () => {
    let proxy: Proxy;
    let gateway: RunningGateway;

    beforeAll(async () => {
      proxy = await startProxy(graph.subgraphs.payments.url);
      gateway = await startGatewayFor(graph, { payments: proxy.url });
    });

    afterAll(async () => {
      await gateway?.stop();
      await proxy?.stop();
    });

    beforeEach(() => {
      proxy.requests.length = 0;
      proxy.dropNext = 0;
      proxy.delayMs = 0;
      proxy.gate = undefined;
    });

    test('SUBGRAPH_UNAVAILABLE is retried with the same key and creates one payment', async () => {
      proxy.dropNext = 1;
      const recorder = recordingFetch();
      const before = await paymentRows(graph);
      const created = await clientFor(gateway, { fetch: recorder.fetch }).initiatePayment(newPayment());
      expect(recorder.sent.map((sent) => sent.code)).toEqual(['SUBGRAPH_UNAVAILABLE', null]);
      expect(keyOf(recorder.sent[0]!)).toBe(keyOf(recorder.sent[1]!));
      expect(created.status).toBe('REQUIRES_ACTION');
      expect(await paymentRows(graph)).toBe(before + 1);
    });

    test('a timed-out attempt is retried with the same key; when the slow one lands too, there is still one payment', async () => {
      let release = (): void => {};
      proxy.gate = new Promise((resolve) => (release = resolve));
      // The first attempt is held up in the proxy until it has timed out; the retry goes straight through.
      const recorder = recordingFetch({ beforeAttempt: (attempt) => attempt === 2 && (proxy.gate = undefined) });
      const before = await paymentRows(graph);
      const created = await clientFor(gateway, { fetch: recorder.fetch, timeoutMs: 3_000 }).initiatePayment(newPayment());
      expect(recorder.sent).toHaveLength(2);
      expect(keyOf(recorder.sent[0]!)).toBe(keyOf(recorder.sent[1]!));
      // Let the held-up first attempt reach payments: it replays the same payment.
      const answeredBefore = proxy.answered;
      release();
      const deadline = Date.now() + 10_000;
      while (proxy.answered === answeredBefore && Date.now() < deadline) await sleep(50);
      expect(proxy.answered).toBe(answeredBefore + 1);
      expect(await paymentRows(graph)).toBe(before + 1);
      expect((await clientFor(graph.gateway).payment(created.id))?.status).toBe('REQUIRES_ACTION');
    });
  });
});

describe('rate limits', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGatewayFor(graph, {}, { rateLimit: { enabled: true, points: 1, anonymousPoints: 1, windowSeconds: 2 } });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  test('RATE_LIMITED waits for Retry-After, then succeeds; a wait over maxRetryWaitMs fails at once', async () => {
    const client = clientFor(gateway);
    await client.platformAcceptance('taobao');

    const impatient = recordingFetch();
    const error = await rejection(clientFor(gateway, { fetch: impatient.fetch, maxRetryWaitMs: 100 }).platformAcceptance('taobao'));
    expect((error as InteropError).code).toBe('RATE_LIMITED');
    expect((error as InteropError).status).toBe(429);
    expect((error as InteropError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(impatient.sent).toHaveLength(1);

    const patient = recordingFetch();
    const started = Date.now();
    expect((await clientFor(gateway, { fetch: patient.fetch }).platformAcceptance('taobao'))?.name).toBe('Taobao');
    expect(patient.sent.map((sent) => sent.code)).toEqual(['RATE_LIMITED', null]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
