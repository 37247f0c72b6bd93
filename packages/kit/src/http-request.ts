// One request from a process of the product to another (a peer subgraph, the
// wallet), over node:http on kept-alive connections. Global fetch costs about
// a millisecond of CPU a call in web streams and body plumbing; a peer call on
// a request's path cannot afford it. The timeout bounds the whole exchange,
// connecting to the last byte of the answer.
//
// A kept-alive connection can be closed by the peer at the moment a request
// goes out on it (Node's server closes idle ones after 5 s). Two defences:
// an idle connection is dropped a second before the peer's announced
// `Keep-Alive: timeout` (Node's agent does so only when given a timeout of its
// own), and a request that meets a reset on a reused connection is sent once
// more, on a new one. Every caller's requests may be sent twice: peer queries
// read, the wallet's calls are PUTs by id, GETs and idempotent cancels, and
// partner webhooks are delivered at least once.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
  /** Connections of the caller's own (see `keptAliveAgents`); the process's shared ones otherwise. */
  agents?: HttpAgents;
  /** Reads at most this many bytes of the answer and closes the connection on the rest; all of it otherwise. */
  maxAnswerBytes?: number;
}

export interface HttpAgents {
  'http:': http.Agent;
  'https:': https.Agent;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** How long an idle connection is kept when the peer announces no keep-alive timeout. */
const IDLE_CONNECTION_MS = 4000;

/**
 * Kept-alive connection pools for each scheme, idle ones dropped as above;
 * `lookup` resolves the host of every new connection (a reused one was
 * resolved when it opened).
 */
export function keptAliveAgents(lookup?: http.AgentOptions['lookup']): HttpAgents {
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS, ...(lookup ? { lookup } : {}) };
  return { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
}

const sharedAgents = keptAliveAgents();

export class HttpTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** The peer closed a kept-alive connection as the request was sent on it: nothing of the request was answered. */
class StaleConnectionError extends Error {}

/** Sends `request` to `url`; rejects on a network failure or the timeout, whatever the status. */
export async function httpRequest(url: string, request: HttpRequest): Promise<HttpAnswer> {
  const target = new URL(url);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const deadline = Date.now() + request.timeoutMs;
  try {
    return await exchange(target, request, body, request.timeoutMs);
  } catch (error) {
    if (!(error instanceof StaleConnectionError)) throw error;
    const left = deadline - Date.now();
    if (left <= 0) throw new HttpTimeoutError(request.timeoutMs);
    return exchange(target, request, body, left);
  }
}

function exchange(target: URL, request: HttpRequest, body: Buffer | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = target.protocol === 'https:';
    const headers = body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.length) };
    const agents = request.agents ?? sharedAgents;
    const req = (secure ? https : http).request(target, { method: request.method, headers, agent: agents[secure ? 'https:' : 'http:'] });
    const timer = setTimeout(() => req.destroy(new HttpTimeoutError(request.timeoutMs)), timeoutMs);
    const maxBytes = request.maxAnswerBytes ?? Infinity;
    let answered = false;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const stale = !answered && req.reusedSocket && ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE');
      reject(stale ? new StaleConnectionError(error.message, { cause: error }) : error);
    };
    req.once('error', fail);
    req.once('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        if (size < maxBytes) chunks.push(size + chunk.length > maxBytes ? chunk.subarray(0, maxBytes - size) : chunk);
        size += chunk.length;
        if (size < maxBytes) return;
        // Enough was read: the rest is never waited for, and the connection it would arrive on is closed.
        finish();
        res.destroy();
      });
      res.once('error', fail);
      res.once('aborted', () => fail(new Error('the answer was cut short')));
      res.once('end', finish);
    });
    req.end(body);
  });
}
