// One request from a process of the product to another (a peer subgraph, the
// wallet), over node:http on kept-alive connections. Global fetch costs about
// a millisecond of CPU a call in web streams and body plumbing; a peer call on
// a request's path cannot afford it. The timeout bounds the whole exchange,
// connecting to the last byte of the answer.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export class HttpTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Sends `request` to `url`; rejects on a network failure or the timeout, whatever the status. */
export function httpRequest(url: string, request: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers = body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.length) };
    const req = transport.request(target, { method: request.method, headers, agent: agents[target.protocol === 'https:' ? 'https:' : 'http:'] });
    const timer = setTimeout(() => req.destroy(new HttpTimeoutError(request.timeoutMs)), request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.once('error', fail);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('aborted', () => fail(new Error('the answer was cut short')));
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}
