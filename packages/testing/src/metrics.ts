// Reading a Prometheus /metrics page the way tests and the bench need it: one
// metric's values by one label.

/** Each value of `label` on `name`'s lines at `metricsUrl`, with the line's value, e.g. `{ commerce: 10, merchants: 5002 }`. */
export async function metricByLabel(metricsUrl: string | URL, name: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) })).text();
  const line = new RegExp(`^${name}\\{${label}="([^"]+)"\\} (\\d+)$`, 'gm');
  return Object.fromEntries([...text.matchAll(line)].map(([, value, count]) => [value, Number(count)]));
}
