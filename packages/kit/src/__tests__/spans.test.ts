// Without an exporter nothing is recorded: a request still gets a span of its
// own (its id names the trace in `traceresponse` and log lines), and the spans
// below it are not made at all, since they would add nothing but ids.
import { activeTraceIds, inRequestSpan, inSpan, startTracing } from '../tracing';

startTracing({ serviceName: 'spans-test', env: {} });

test("a request's span gets ids when nothing is recorded, and the work below it runs in that span", async () => {
  const ids = await inRequestSpan('http.request', {}, async () => {
    const request = activeTraceIds();
    const below = await inSpan('db.query', {}, async () => activeTraceIds());
    return { request, below };
  });
  expect(ids.request?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  expect(ids.request?.trace_id).not.toBe('0'.repeat(32));
  expect(ids.below).toEqual(ids.request);
});

test('each request gets a trace of its own', async () => {
  const first = await inRequestSpan('http.request', {}, async () => activeTraceIds());
  const second = await inRequestSpan('http.request', {}, async () => activeTraceIds());
  expect(first?.trace_id).not.toBe(second?.trace_id);
});

test("a failure below still reaches the request's work", async () => {
  const failure = new Error('refused');
  await expect(inRequestSpan('http.request', {}, () => inSpan('db.query', {}, async () => Promise.reject(failure)))).rejects.toBe(failure);
});
