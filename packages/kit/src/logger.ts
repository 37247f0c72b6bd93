// Structured JSON logs for every process; one logger per service, tagged with its name.
import pino, { type DestinationStream, type Logger } from 'pino';
import { requestScope } from './request-scope';

export type { Logger };

// A synchronous write to stdout per line cost the gateway about 15% of its CPU
// under load; lines are written asynchronously instead, and pino flushes what
// is still buffered when the process exits. One stream per process.
let stdout: DestinationStream | undefined;
const asyncStdout = () => (stdout ??= pino.destination({ dest: 1, sync: false }));

export function createLogger(service: string): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  // Every line logged while serving a request carries its id.
  return pino({ level, base: { service }, mixin: () => requestScope.getStore() ?? {} }, asyncStdout());
}
