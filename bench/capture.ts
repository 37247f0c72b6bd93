// Learns which subgraph requests our gateway sends for an operation, so the
// direct case replays exactly those: our gateway's code, in this process and
// only for this, routed through recording proxies in front of each subgraph.
// It is called with the bench partner's key, as our gateway is under load,
// and records for whom it signed each subgraph request.
import { createServer } from 'node:http';
import pino from 'pino';
import { close, listen, readRawBody } from '@interop/kit/server';
import { IDENTITY_HEADER, verifyIdentity, type Caller } from '@interop/kit/security';
import { startGateway } from '../gateway/src/server';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';
import { DEFAULT_RESPONSE_CACHE } from '../gateway/src/defaults';
import { ROOT } from '@interop/testing/processes';
import { join } from 'node:path';
import { BENCH_KEY, BENCH_RATE_LIMIT, BENCH_SIGNING_SECRET, CLIENT_HEADERS } from './auth';

export interface SubgraphCall {
  subgraph: string;
  /** The subgraph's own URL (not the proxy's). */
  url: string;
  body: string;
  response: string;
  /** The caller our gateway signed the call for; the replay signs each request for it again. */
  caller: Caller;
  /** Calls with the same wave ran concurrently; a wave starts when every earlier call has answered. */
  wave: number;
}

export interface Recorder {
  /** Sends one gateway request and returns what it answered and the subgraph calls it made. */
  capture(body: string): Promise<{ answer: string; calls: SubgraphCall[] }>;
  stop(): Promise<void>;
}

export async function startRecorder(subgraphUrls: Readonly<Record<string, string>>): Promise<Recorder> {
  let calls: (Omit<SubgraphCall, 'wave'> & { start: number; end: number })[] = [];
  /** Calls the proxies could not record; the gateway sees them fail, the capture reports why. */
  let failures: string[] = [];
  const proxies = await Promise.all(
    Object.entries(subgraphUrls).map(async ([subgraph, url]) => {
      const server = createServer((req, res) => {
        // Only GraphQL calls are replayed; the event streams the gateway follows are not.
        if (req.method !== 'POST') {
          res.writeHead(404).end();
          return;
        }
        const start = performance.now();
        void readRawBody(req, 10 * 1024 * 1024)
          .then(async (body) => {
            const header = req.headers[IDENTITY_HEADER];
            const identity = verifyIdentity(BENCH_SIGNING_SECRET, Array.isArray(header) ? header[0] : header, body, subgraph);
            // Our gateway signs every subgraph request; one it did not is a call the replay could not reproduce.
            if (!identity.ok) throw new Error(`our gateway sent ${subgraph} a request without a valid identity (${identity.reason})`);
            const headers = { 'content-type': 'application/json', [IDENTITY_HEADER]: String(header) };
            const answer = await fetch(url, { method: 'POST', headers, body });
            const response = await answer.text();
            calls.push({ subgraph, url, body, response, caller: identity.caller, start, end: performance.now() });
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(response);
          })
          .catch((error: unknown) => {
            failures.push((error as Error).message);
            res.destroy();
          });
      });
      const port = await listen(server, 0, '127.0.0.1');
      return { subgraph, server, url: `http://127.0.0.1:${port}/graphql` };
    }),
  );
  const routes = Object.fromEntries(proxies.map((proxy) => [proxy.subgraph, proxy.url]));
  const gateway = await startGateway({
    supergraphSdl: composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml')), routes),
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    signingSecret: BENCH_SIGNING_SECRET,
    auth: { apiKeys: [BENCH_KEY] },
    rateLimit: BENCH_RATE_LIMIT,
    // Every operation must reach the subgraphs to be recorded.
    responseCache: { ...DEFAULT_RESPONSE_CACHE, enabled: false },
  });
  return {
    async capture(body) {
      calls = [];
      failures = [];
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...CLIENT_HEADERS }, body });
      const answer = await response.text();
      if (failures.length) throw new Error(`capturing ${body.slice(0, 100)}: ${failures.join('; ')}`);
      const ordered = [...calls].sort((a, b) => a.start - b.start);
      let wave = 0;
      let waveEnd = 0;
      return {
        answer,
        calls: ordered.map(({ start, end, ...call }, index) => {
          if (index > 0 && start >= waveEnd) wave += 1;
          waveEnd = Math.max(waveEnd, end);
          return { ...call, wave };
        }),
      };
    },
    async stop() {
      await gateway.stop();
      await Promise.all(proxies.map((proxy) => close(proxy.server, 0)));
    },
  };
}
