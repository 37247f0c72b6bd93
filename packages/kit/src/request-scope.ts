// The request a piece of work belongs to, carried through async calls, so every
// log line names its request without passing a logger around.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface RequestScope {
  requestId: string;
  /** Ids of the fact changes this request made, named in its answer (see facts-in-answer). */
  factsChanged?: string[];
  /** The payloads after the first part of an answer in parts (@defer), for the HTTP layer to write (see incremental). */
  later?: AsyncIterable<string>;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is well formed (so its logs join ours), otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}
