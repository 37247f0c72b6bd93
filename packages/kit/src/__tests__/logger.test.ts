// Log lines name the request and the trace they were written in, and nothing
// one line logs leaks into the next.
import { createLogger } from '../logger';
import { requestScope } from '../request-scope';
import { startTracing, tracer } from '../tracing';

startTracing({ serviceName: 'test' });

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test', { level: 'info', destination: { write: (text: string) => void lines.push(JSON.parse(text) as Record<string, unknown>) } });
  return { logger, lines };
}

test('a line written in a span of a request carries the request id and the span\'s ids; the next line only its own fields', () => {
  const { logger, lines } = capture();
  const ids = requestScope.run({ requestId: 'request-1' }, () =>
    tracer.startActiveSpan('work', (span) => {
      logger.info({ operation: 'Tools' }, 'first');
      logger.info('second');
      span.end();
      return span.spanContext();
    }),
  );
  expect(ids.traceId).not.toMatch(/^0+$/);
  const context = { requestId: 'request-1', trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '00' };
  expect(lines[0]).toMatchObject({ ...context, operation: 'Tools', msg: 'first' });
  expect(lines[1]).toMatchObject({ ...context, msg: 'second' });
  expect(lines[1]).not.toHaveProperty('operation');
});

test('a line written outside any request or span carries neither', () => {
  const { logger, lines } = capture();
  logger.info('alone');
  expect(lines[0]).not.toHaveProperty('requestId');
  expect(lines[0]).not.toHaveProperty('trace_id');
  expect(lines[0]).not.toHaveProperty('span_id');
});
