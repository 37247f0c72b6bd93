// Learns which subgraph requests our gateway sends for an operation, so the
// direct case replays exactly those: our gateway's code, in this process and
// only for this, routed through recording proxies in front of each subgraph.
import { createServer } from 'node:http';
import pino from 'pino';
import { close, DEVELOPMENT_SIGNING_SECRET, listen, readRawBody } from '@interop/kit';
import { startGateway } from '../gateway/src/server';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';
import { ROOT } from '../test/processes';
import { join } from 'node:path';

export interface SubgraphCall {
  subgraph: string;
  /** The subgraph's own URL (not the proxy's). */
  url: string;
  body: string;
  response: string;
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
  const proxies = await Promise.all(
    Object.entries(subgraphUrls).map(async ([subgraph, url]) => {
      const server = createServer((req, res) => {
        const start = performance.now();
        void readRawBody(req, 10 * 1024 * 1024)
          .then(async (body) => {
            const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            const response = await answer.text();
            calls.push({ subgraph, url, body, response, start, end: performance.now() });
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(response);
          })
          .catch(() => res.destroy());
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
    signingSecret: DEVELOPMENT_SIGNING_SECRET,
  });
  return {
    async capture(body) {
      calls = [];
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = await response.text();
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
