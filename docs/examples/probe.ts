/** What a load balancer or a dashboard reads from the gateway, e.g. http://localhost:4000. */
export async function probe(gateway: string) {
  const health = await fetch(new URL('/health', gateway));
  const ready = await fetch(new URL('/ready', gateway));
  const { subgraphs } = (await ready.json()) as { subgraphs: Record<string, { ok: boolean; ms: number }> };
  const metrics = await (await fetch(new URL('/metrics', gateway))).text();
  return {
    alive: health.ok, // the process answers
    ready: ready.ok, // the supergraph is loaded and every subgraph answers (503 otherwise)
    subgraphs,
    requests: metrics.split('\n').filter((line) => line.startsWith('gateway_requests_total{')),
  };
}
