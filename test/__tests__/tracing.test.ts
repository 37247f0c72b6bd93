// A client's W3C trace context continues through the gateway into every
// subgraph and its store calls.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '@interop/kit';
import { startGraph, startGatewayFor, type Graph } from '@interop/testing/harness';
import { startProxy } from '@interop/testing/proxy';

const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 50 });
});

afterAll(async () => {
  await graph?.stop();
});

test('traceparent from the client reaches the gateway, each subgraph and the store calls, in one trace', async () => {
  const proxy = await startProxy(graph.subgraphs.merchants.url);
  const gateway = await startGatewayFor(graph, { merchants: proxy.url });
  try {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: '{ merchant(id: "m0000001") { name storefronts { platform { name } paymentOptions { tool { id } } } } }' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    // The merchants subgraph received the context, with the gateway's fetch span as parent.
    // Its GraphQL requests; the fact-event stream the gateway follows is a bodiless GET of its own.
    const sent = proxy.requests.filter((request) => request.body.length > 0).map((request) => String(request.headers.traceparent));
    expect(sent.length).toBeGreaterThan(0);
    for (const header of sent) expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const names = new Set(spans.map((span) => span.name));
    expect([...names]).toEqual(expect.arrayContaining(['gateway.request', 'gateway.fetch', 'http.request', 'db.query']));
    // Store calls in the merchants subgraph are part of the same trace.
    expect(spans.filter((span) => span.name === 'db.query' && String(span.attributes['db.namespace']).startsWith('merchants')).length).toBeGreaterThan(0);
  } finally {
    await gateway.stop();
    await proxy.stop();
  }
});
