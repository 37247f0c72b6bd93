// The request a piece of work belongs to, carried through async calls, so every
// log line names its request without passing a logger around. It travels in
// OpenTelemetry's context, beside the trace, rather than in an
// AsyncLocalStorage of its own: every promise a process makes pays the async
// hooks once per AsyncLocalStorage, and a request makes dozens of promises.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

export interface RequestScope {
  requestId: string;
  /** Ids of the fact changes this request made, named in its answer (see facts-in-answer). */
  factsChanged?: string[];
  /** The payloads after the first part of an answer in parts (@defer), for the HTTP layer to write (see incremental). */
  later?: AsyncIterable<string>;
}

// Carries the context through async calls whether or not tracing is set up
// (see tracing.ts, which registers no other). Registering fails harmlessly
// where a manager is already registered, as OpenTelemetry's own set-up does.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const SCOPE = createContextKey('interop.request-scope');

export const requestScope = {
  /** Runs `work` in `scope`, within the trace context active now. */
  run<T>(scope: RequestScope, work: () => T): T {
    return context.with(context.active().setValue(SCOPE, scope), work);
  },
  /** The scope of the request this code runs for; undefined outside one. */
  getStore(): RequestScope | undefined {
    return context.active().getValue(SCOPE) as RequestScope | undefined;
  },
};

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is well formed (so its logs join ours), otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}
