// A small HTTP proxy in front of a subgraph for fault tests: it can delay
// answers, drop connections, rewrite answers, and records what it forwarded.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { close, listen } from '@interop/kit/server';
import { IDENTITY_HEADER } from '@interop/kit/security';

export interface ProxyRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Proxy {
  url: string;
  requests: ProxyRequest[];
  /** Milliseconds to wait before forwarding. */
  delayMs: number;
  /** How many of the next requests get their connection destroyed instead of an answer. */
  dropNext: number;
  /** Milliseconds to hold a query's answer once the subgraph gave it (mutations are answered at once). */
  holdReadsMs: number;
  /** Replaces each answer's body (a subgraph answering what its schema does not allow). */
  rewrite: ((body: string) => string) | undefined;
  /** While set, requests that arrive wait for it before they are forwarded. */
  gate: Promise<void> | undefined;
  /** How many answers the subgraph has given through the proxy. */
  answered: number;
  stop(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<Proxy> {
  const proxy: Proxy = { url: '', requests: [], delayMs: 0, dropNext: 0, holdReadsMs: 0, rewrite: undefined, gate: undefined, answered: 0, stop: async () => {} };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      proxy.requests.push({ headers: req.headers, body });
      if (proxy.dropNext > 0) {
        proxy.dropNext -= 1;
        req.socket.destroy();
        return;
      }
      const gate = proxy.gate ?? Promise.resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        gate
          .then(() => fetch(targetUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...forwarded(req.headers) }, body }))
          .then(async (response) => {
            const text = await response.text();
            proxy.answered += 1;
            const hold = /^\{"query":"\s*mutation\b/.test(body) ? 0 : proxy.holdReadsMs;
            if (hold > 0) await new Promise((resolve) => timers.add(setTimeout(resolve, hold)));
            res.writeHead(response.status, answered(response.headers));
            res.end(proxy.rewrite ? proxy.rewrite(text) : text);
          })
          .catch(() => res.destroy());
      }, proxy.delayMs);
      timers.add(timer);
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  proxy.url = `http://127.0.0.1:${port}/graphql`;
  proxy.stop = async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await close(server, 0);
  };
  return proxy;
}

function forwarded(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['x-request-id', 'traceparent', 'tracestate', IDENTITY_HEADER]) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** The subgraph's answer headers (its cache hints among them), less those that describe the connection or the encoding fetch undid. */
function answered(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  });
  return out;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);
