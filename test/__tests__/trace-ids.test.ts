// Every request is in a trace, even with no exporter configured (as here):
// the gateway names it in the `traceresponse` header, keeps a client's trace
// id, and every line the gateway and the subgraphs log while serving the
// request carries its trace and span ids.
import { createLogger, type Logger } from '@interop/kit';
import { MerchantsStore, startMerchants } from '@interop/merchants';
import { startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A, TEST_TRUST } from '@interop/testing/identities';

interface Line {
  service: string;
  msg: string;
  trace_id?: string;
  span_id?: string;
}

/** A logger at info level whose lines land in `lines`. */
function capturing(service: string, lines: Line[]): Logger {
  return createLogger(service, { level: 'info', destination: { write: (text: string) => void lines.push(JSON.parse(text) as Line) } });
}

/** A store whose merchant lookups fail, so the merchants subgraph logs while it serves the request. */
class FailingStore extends MerchantsStore {
  override merchantsByIds(): ReturnType<MerchantsStore['merchantsByIds']> {
    return Promise.reject(new Error('store unavailable'));
  }
}

const QUERY = JSON.stringify({ query: '{ merchant(id: "m0000001") { name } }' });
const TRACE_RESPONSE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 20 });
});

afterAll(async () => {
  await graph?.stop();
});

test.each([
  ['with the client\'s traceparent', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['without a traceparent', undefined],
])('a request %s: traceresponse names its trace, and every line logged while serving it carries that trace', async (_name, clientTraceId) => {
  const lines: Line[] = [];
  const merchants = await startMerchants({
    port: 0,
    host: '127.0.0.1',
    store: new FailingStore(graph.stores.merchants.db),
    commerceUrl: graph.subgraphs.commerce.url,
    paymentsUrl: graph.subgraphs.payments.url,
    peerTimeoutMs: 5000,
    trust: TEST_TRUST,
    events: graph.factEvents,
    logger: capturing('merchants', lines),
  });
  const gateway = await startGatewayFor(graph, { merchants: merchants.url }, { logger: capturing('gateway', lines) });
  try {
    lines.length = 0;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': PARTNER_A.key,
        ...(clientTraceId ? { traceparent: `00-${clientTraceId}-00f067aa0ba902b7-01` } : {}),
      },
      body: QUERY,
    });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const during = [...lines];
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);

    const [, traceId, spanId] = TRACE_RESPONSE.exec(response.headers.get('traceresponse') ?? '') ?? [];
    expect(traceId).toBeDefined();
    if (clientTraceId) expect(traceId).toBe(clientTraceId);
    expect(traceId).not.toMatch(/^0+$/);
    expect(spanId).not.toMatch(/^0+$/);

    // Both services logged while serving it (the gateway its request line, merchants the failure).
    expect(new Set(during.map((line) => line.service))).toEqual(new Set(['gateway', 'merchants']));
    for (const line of during) {
      expect({ service: line.service, msg: line.msg, trace_id: line.trace_id }).toEqual({ service: line.service, msg: line.msg, trace_id: traceId });
      expect(line.span_id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    }
  } finally {
    await gateway.stop();
    await merchants.stop();
  }
});
