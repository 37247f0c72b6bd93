// The two ways the bench sends requests. At saturation, autocannon keeps every
// connection busy. At a fixed rate, requests leave at even intervals whatever
// the answers do (an open loop): autocannon's own rate sends each second's
// budget at the start of the second, so its latencies measured how fast a
// burst cleared, not what a request meets at that rate.
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Request `i` as the target sends it. */
export interface Outgoing {
  url: string;
  body(i: number): string;
  headers(body: string, i: number): Readonly<Record<string, string>>;
  /** The number of the next request. */
  next(): number;
}

/** Called for every answer: its request's number, status, body and latency in milliseconds. */
export type OnAnswer = (i: number, status: number, body: string, ms: number) => void;

export interface Sender {
  /** Stops sending; resolves with the requests that failed without an answer once the last one sent has ended. */
  stop(): Promise<{ errors: number; timeouts: number }>;
  /** Rejects if the sender cannot run at all. */
  failed: Promise<never>;
}

const TIMEOUT_MS = 10_000;

/** Every connection sends its next request as soon as its last is answered. */
export function saturating(out: Outgoing, connections: number, seconds: number, onAnswer: OnAnswer): Sender {
  const instance = autocannon({
    url: out.url,
    connections,
    duration: seconds,
    timeout: TIMEOUT_MS / 1000,
    // The run is stopped by its caller; autocannon only checks for its end every sampleInt.
    sampleInt: 100,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest(request, context) {
          const i = out.next();
          (context as { i: number }).i = i;
          const body = out.body(i);
          return { ...request, body, headers: { ...request.headers, ...out.headers(body, i) } };
        },
        onResponse(status, body, context) {
          pending = { i: (context as { i: number }).i, status, body };
        },
      },
    ],
  }) as unknown as Promise<autocannon.Result> & EventEmitter & { stop(): void };
  // autocannon hands over an answer's body (onResponse) and then, synchronously, its latency ('response').
  let pending: { i: number; status: number; body: string } | undefined;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (!pending) return;
    const { i, status, body } = pending;
    pending = undefined;
    onAnswer(i, status, body, ms);
  });
  return {
    failed: instance.then(() => new Promise<never>(() => {})),
    async stop() {
      instance.stop();
      const result = await instance;
      return { errors: result.errors, timeouts: result.timeouts };
    },
  };
}

/**
 * Request `k` leaves `k / rate` seconds after the start, over a pool that opens
 * connections as requests wait for one. Latency runs from the moment a request
 * was due, so a late loop or a queue in front of the target counts against it.
 */
export function paced(out: Outgoing, rate: number, maxConnections: number, onAnswer: OnAnswer): Sender {
  const url = new URL(out.url);
  const pool = new Pool(url.origin, { connections: maxConnections, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  const path = `${url.pathname}${url.search}`;
  const start = performance.now();
  let sent = 0;
  let stopped = false;
  let errors = 0;
  let timeouts = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (due: number) => {
    const i = out.next();
    const body = out.body(i);
    const request = pool
      .request({ method: 'POST', path, body, headers: { 'content-type': 'application/json', ...out.headers(body, i) } })
      .then(async (response) => {
        const text = await response.body.text();
        onAnswer(i, response.statusCode, text, performance.now() - due);
      })
      .catch((error: { code?: string }) => {
        errors += 1;
        if (error.code === 'UND_ERR_HEADERS_TIMEOUT' || error.code === 'UND_ERR_BODY_TIMEOUT') timeouts += 1;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now();
    // Every request due by now leaves now: a timer that fired late does not lower the rate.
    for (let due = start + (sent * 1000) / rate; due <= now && !stopped; due = start + (sent * 1000) / rate) {
      sent += 1;
      send(due);
    }
    if (!stopped) timer = setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
  };
  tick();
  return {
    failed: new Promise<never>(() => {}),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight);
      await pool.close();
      return { errors, timeouts };
    },
  };
}
