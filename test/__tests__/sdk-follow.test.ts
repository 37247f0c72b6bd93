// The SDK's followPayment against the running graph, over each transport it
// speaks (graphql-ws, here with the `ws` package as Node 20 has no WebSocket
// of its own, and graphql-sse): a payment heard live to its outcome, a lost
// connection made again without losing what changed meanwhile, refusals as
// typed errors, and the caller's signal ending it.
import { connect, createServer, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { createInteropClient, InteropError, type InteropClientOptions, type Payment } from '@interop/sdk';
import { startGraph, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { PARTNER_A, PARTNER_B } from '@interop/testing/identities';
import { decide, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment } from '@interop/testing/payments-helpers';

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

const TRANSPORTS = [
  ['graphql-ws', { webSocket: WebSocket }],
  ['graphql-sse', { webSocket: false }],
] as const;

const clientFor = (url: string, options: Partial<InteropClientOptions> = {}) =>
  createInteropClient({ url, apiKey: PARTNER_A.key, retryDelayMs: 10, ...options } as InteropClientOptions);

const newPayment = (reference: string) => ({
  platformId: 'taobao',
  merchantId,
  paymentToolId: 'wechat-pay',
  amount: { amountMinor: 8_800, currency: 'CNY' as const },
  reference,
  channel: 'WEB' as const,
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected it to fail');
}

/** Reads `updates` to their end, calling `onUpdate` with each as it comes. */
async function readAll(updates: AsyncIterable<Payment>, onUpdate: (update: Payment) => Promise<void> | void = () => {}): Promise<Payment[]> {
  const read: Payment[] = [];
  for await (const update of updates) {
    read.push(update);
    await onUpdate(update);
  }
  return read;
}

/** Waits until the graph has `id` at `status` (the wallet's webhooks are on their way meanwhile). */
async function settledAs(id: string, status: string): Promise<void> {
  await graph.wallet.webhooks.idle();
  expect((await payment(graph, id))?.status).toBe(status);
}

/**
 * A TCP relay in front of the gateway that can cut every connection through
 * it and refuse new ones for a while, as a network that drops and comes back.
 */
async function startRelay(port: number) {
  const sockets = new Set<Socket>();
  let refusing = false;
  let onRefused = () => {};
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      onRefused();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    /** Cuts every connection and refuses new ones; resolves once a client has tried again and been refused. */
    cutUntilRetried(): Promise<void> {
      refusing = true;
      const retried = new Promise<void>((resolve) => (onRefused = resolve));
      for (const socket of sockets) socket.destroy();
      return retried;
    },
    reopen() {
      refusing = false;
    },
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(TRANSPORTS)('followPayment over %s', (_transport, transport) => {
  test('hears REQUIRES_ACTION, PROCESSING and SUCCEEDED as the buyer approves, then ends', async () => {
    const client = clientFor(graph.gateway.url, transport);
    const started = await client.initiatePayment(newPayment('follow-1'));
    const heard = await readAll(client.followPayment(started.id), async (update) => {
      if (update.status === 'REQUIRES_ACTION') expect(await decide(graph, started.id, 'approve')).toBe(200);
    });
    expect(heard.map((update) => update.status)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
    expect(heard.every((update) => update.id === started.id)).toBe(true);
    expect(heard.at(-1)?.events.map((event) => event.toStatus)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  });

  test('a payment already settled gives its outcome once and ends', async () => {
    const client = clientFor(graph.gateway.url, transport);
    const started = await client.initiatePayment(newPayment('follow-2'));
    await client.cancelPayment(started.id);
    expect((await readAll(client.followPayment(started.id))).map((update) => update.status)).toEqual(['CANCELED']);
  });

  test('a connection lost while the buyer approves is made again, and the outcome still comes, with no status twice', async () => {
    const relay = await startRelay(graph.gateway.port);
    try {
      const client = clientFor(relay.url, { ...transport, retryDelayMs: 20 });
      const started = await client.initiatePayment(newPayment('follow-3'));
      let outage: Promise<void> | undefined;
      const heard = await readAll(client.followPayment(started.id, { reconnects: 30 }), (update) => {
        if (update.status !== 'REQUIRES_ACTION') return;
        // The network drops, and stays down while the buyer approves, the payment settles and the SDK tries again.
        outage = (async () => {
          const retried = relay.cutUntilRetried();
          expect(await decide(graph, started.id, 'approve')).toBe(200);
          await settledAs(started.id, 'SUCCEEDED');
          await retried;
          relay.reopen();
        })();
      });
      await outage;
      const statuses = heard.map((update) => update.status);
      expect(statuses[0]).toBe('REQUIRES_ACTION');
      expect(statuses.at(-1)).toBe('SUCCEEDED');
      expect(new Set(statuses).size).toBe(statuses.length);
    } finally {
      await relay.stop();
    }
  });

  test('another partner’s payment is refused with a typed error, not retried into the void', async () => {
    const started = await clientFor(graph.gateway.url, transport).initiatePayment(newPayment('follow-4'));
    const error = await rejection(readAll(clientFor(graph.gateway.url, { ...transport, apiKey: PARTNER_B.key }).followPayment(started.id)));
    expect(error).toBeInstanceOf(InteropError);
    expect((error as InteropError).code).toBe('FORBIDDEN');
  });

  test('an unknown API key is UNAUTHENTICATED', async () => {
    const error = await rejection(readAll(clientFor(graph.gateway.url, { ...transport, apiKey: 'no-such-key' }).followPayment('pay_x')));
    expect(error).toBeInstanceOf(InteropError);
    expect((error as InteropError).code).toBe('UNAUTHENTICATED');
  });

  test('the caller’s signal ends the following with its reason', async () => {
    const client = clientFor(graph.gateway.url, transport);
    const started = await client.initiatePayment(newPayment('follow-5'));
    const controller = new AbortController();
    const reason = new Error('the checkout page closed');
    const error = await rejection(
      readAll(client.followPayment(started.id, { signal: controller.signal }), () => {
        controller.abort(reason);
      }),
    );
    expect(error).toBe(reason);
  });
});
