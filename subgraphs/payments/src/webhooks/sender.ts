// One HTTP attempt of a delivery: a POST that never follows a redirect (any
// non-2xx answer is a failure), gives up after `timeoutMs` from the start to
// the end of the answer, reads at most MAX_ANSWER_BYTES of the answer and
// keeps its first 1,000 characters. The address policy is applied to the
// addresses the host resolves to now, and the connection goes to the one
// checked (url-policy's pinnedLookup).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressRefusal, hostOf, pinnedLookup, UrlRefused, type UrlPolicy } from './url-policy';

export const MAX_EXCERPT_CHARS = 1000;
/** Enough for the excerpt in any encoding; the rest of an answer is not read. */
const MAX_ANSWER_BYTES = 8 * 1024;

export interface AttemptResult {
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  delivered: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  policy: UrlPolicy;
}

export async function sendWebhook(target: string, headers: Readonly<Record<string, string>>, body: string, options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refused = (error: string): AttemptResult => ({ statusCode: null, durationMs: elapsed(), responseExcerpt: null, error, delivered: false });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return refused('invalid URL');
  }
  if (url.protocol === 'http:' && !options.policy.allowInsecure) return refused('address not allowed: INSECURE_URL');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refused('invalid URL');
  // A literal address is connected to without a lookup, so it is checked here.
  const host = hostOf(url);
  if (isIP(host)) {
    const reason = addressRefusal(host, options.policy);
    if (reason) return refused(`address not allowed: ${reason}`);
  }
  const payload = Buffer.from(body, 'utf8');
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, 'content-length': String(payload.length) },
        lookup: pinnedLookup(options.policy),
        // A fresh connection each time: every attempt resolves and checks the host again.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_EXCERPT_CHARS);
          const statusCode = response.statusCode ?? null;
          const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
          finish({ statusCode, responseExcerpt: text.length > 0 ? text : null, error: null, delivered });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
          size += chunk.length;
          // Enough was read; the rest is never waited for.
          if (size >= MAX_ANSWER_BYTES) done();
        });
        response.on('end', done);
        response.on('error', () => done());
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, responseExcerpt: null, error: `timeout after ${options.timeoutMs} ms`, delivered: false });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error instanceof UrlRefused ? `address not allowed: ${error.reason}` : (error.code ?? error.message).slice(0, 200);
      finish({ statusCode: null, responseExcerpt: null, error: reason, delivered: false });
    });
    request.end(payload);
  });
}
