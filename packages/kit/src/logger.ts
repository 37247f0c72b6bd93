// Structured JSON logs for every process; one logger per service, tagged with its name.
import pino, { type DestinationStream, type Logger } from 'pino';
import { requestScope } from './request-scope';
import { activeTraceIds } from './tracing';

export type { Logger };

// A write to stdout per line cost the gateway about 15% of its CPU under load,
// synchronous or not: lines are gathered and written asynchronously in blocks,
// at most FLUSH_MS after they were logged, and pino flushes what is still
// buffered when the process exits. One stream per process. The flush is armed
// by a line, not by a clock, so an idle process is not woken ten times a
// second to write nothing; and armed again while lines are left after a write
// (a flush during a write is skipped, and a write leaves less than a block).
const BLOCK_BYTES = 8 * 1024;
const FLUSH_MS = 100;
let stdout: { stream: DestinationStream; written: (line: string) => string } | undefined;
const asyncStdout = () => {
  if (stdout) return stdout;
  const stream = pino.destination({ dest: 1, sync: false, minLength: BLOCK_BYTES });
  let buffered = 0;
  let armed = false;
  const flush = () => {
    armed = false;
    // A closed stream has nothing left to write.
    if (!(stream as { destroyed?: boolean }).destroyed) stream.flush();
  };
  const arm = () => {
    if (armed) return;
    armed = true;
    setTimeout(flush, FLUSH_MS).unref();
  };
  stream.on('write', (bytes: number) => {
    buffered -= bytes;
    if (buffered > 0) arm();
  });
  const written = (line: string) => {
    buffered += Buffer.byteLength(line);
    arm();
    return line;
  };
  return (stdout = { stream, written });
};

export interface LoggerOptions {
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
  /** Instead of LOG_LEVEL's. */
  level?: string;
}

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  if (options.destination) return pino({ level, base: { service }, mixin: lineContext }, options.destination);
  const { stream, written } = asyncStdout();
  return pino({ level, base: { service }, mixin: lineContext, hooks: { streamWrite: written } }, stream);
}

/**
 * What every line logged while serving a request carries: the request's id,
 * and the trace and span it was written in (as OpenTelemetry's log fields
 * name them), so a trace leads to its lines and a line to its trace. Called
 * only for lines at an enabled level.
 */
function lineContext(): Record<string, string> {
  const requestId = requestScope.getStore()?.requestId;
  const trace = activeTraceIds();
  if (!trace) return requestId ? { requestId } : {};
  // Written out: an object spread here made every line several times slower to write.
  return requestId ? { requestId, trace_id: trace.trace_id, span_id: trace.span_id, trace_flags: trace.trace_flags } : trace;
}
