// /ready: the supergraph is loaded, the warm-up has run, and every subgraph in
// it answers a trivial query in time, signed as the gateway, so a subgraph that does not share the
// gateway's signing secret shows as not ready. Load balancers send traffic only to a ready gateway.
import type { ServerResponse } from 'node:http';
import { sendJson } from '@interop/kit/server';
import { IDENTITY_HEADER, serviceCaller, signIdentity } from '@interop/kit/security';

const PROBE = '{"query":"{ __typename }"}';

export interface SubgraphProbe {
  name: string;
  url: string;
}

export async function probeSubgraphs(subgraphs: Iterable<SubgraphProbe>, timeoutMs: number, signingSecret: string): Promise<Record<string, { ok: boolean; ms: number }>> {
  const results = await Promise.all(
    [...subgraphs].map(async ({ name, url }) => {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(signingSecret, serviceCaller('gateway'), name, PROBE) },
          body: PROBE,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        return [name, { ok: response.ok, ms: Math.round(performance.now() - started) }] as const;
      } catch {
        return [name, { ok: false, ms: Math.round(performance.now() - started) }] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}

/** `loading` until the supergraph is loaded (and again once stopping), `warming` while the warm-up runs (see warm-up.ts). */
export type GatewayState = 'loading' | 'warming' | 'serving';

/** What /ready answers: 200 with `ready`, 503 with any other status. */
export interface ReadinessAnswer {
  status: Exclude<GatewayState, 'serving'> | 'ready' | 'degraded';
  subgraphs: Record<string, { ok: boolean; ms: number }>;
}

export async function sendReadiness(
  res: ServerResponse,
  state: GatewayState,
  subgraphs: Iterable<SubgraphProbe>,
  timeoutMs: number,
  signingSecret: string,
): Promise<void> {
  const answer = (status: number, body: ReadinessAnswer) => sendJson(res, status, body);
  if (state !== 'serving') return answer(503, { status: state, subgraphs: {} });
  const results = await probeSubgraphs(subgraphs, timeoutMs, signingSecret);
  const ready = Object.values(results).every((result) => result.ok);
  answer(ready ? 200 : 503, { status: ready ? 'ready' : 'degraded', subgraphs: results });
}
