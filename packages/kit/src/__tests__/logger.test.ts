// Log lines name the request and the trace they were written in, and nothing
// one line logs leaks into the next.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, spawnInGroup, waitForOutput } from '../../../../test/processes';
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

test('a line on stdout is written within a moment while the process goes on, not when it exits', async () => {
  // Lines are gathered into blocks: this one is far smaller than a block, so only the flush armed by writing it sends it.
  const program = `const { createLogger } = require(${JSON.stringify(join(__dirname, '..', 'logger.ts'))});
    createLogger('test', { level: 'info' }).info('one line');
    setInterval(() => {}, 60_000);`;
  const child = spawnInGroup(process.execPath, ['--import', 'tsx', '-e', program], { cwd: ROOT, stdio: 'pipe' }) as ChildProcessWithoutNullStreams;
  try {
    const line = await waitForOutput(child, /\{[^\n]*"msg":"one line"[^\n]*\}/, 30_000);
    expect(JSON.parse(line)).toMatchObject({ service: 'test', msg: 'one line' });
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGKILL');
  }
});
