// GET /metrics: a Prometheus registry as text, for a service's routes.
import type { Registry } from 'prom-client';
import type { Route } from './http';

export function metricsRoute(registry: Registry, before?: () => Promise<void>): Route {
  return async (_req, res) => {
    await before?.();
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
  };
}
