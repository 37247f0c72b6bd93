// Log lines name the request and the trace they were written in, and nothing
// one line logs leaks into the next.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, spawnInGroup, waitForOutput } from '@interop/testing/processes';
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

test('lines on stdout are written within a moment while the process goes on, not when it exits', async () => {
  // Lines are gathered into 8 KB blocks. The burst fills many, and stdout is not read for a second, so
  // its writes wait: a flush due meanwhile is skipped, and what is left after the last write (the last
  // line among it) goes out only if a flush is armed again then.
  const program = `const { createLogger } = require(${JSON.stringify(join(__dirname, '..', 'logger.ts'))});
    const logger = createLogger('test', { level: 'info' });
    for (let i = 0; i < 2000; i += 1) logger.info({ i, pad: 'x'.repeat(200) }, 'burst');
    logger.info('last line');
    setInterval(() => {}, 60_000);`;
  const child = spawnInGroup(process.execPath, ['--import', 'tsx', '-e', program], { cwd: ROOT, stdio: 'pipe' }) as ChildProcessWithoutNullStreams;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout.pause();
  setTimeout(() => child.stdout.resume(), 1_000);
  try {
    await waitForOutput(child, /"msg":"last line"/, 30_000);
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; i?: number });
    expect(lines.filter((line) => line.msg === 'burst').map((line) => line.i)).toEqual([...Array(2000).keys()]);
    expect(lines.at(-1)).toMatchObject({ service: 'test', msg: 'last line' });
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGKILL');
  }
});
