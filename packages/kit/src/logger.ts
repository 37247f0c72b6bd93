// Structured JSON logs for every process; one logger per service, tagged with its name.
import pino, { type Logger } from 'pino';
import { requestScope } from './request-scope';

export type { Logger };

export function createLogger(service: string): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  // Every line logged while serving a request carries its id.
  return pino({ level, base: { service }, mixin: () => requestScope.getStore() ?? {} });
}
