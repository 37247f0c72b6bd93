// Prometheus metrics for the gateway (served on /metrics): requests, errors by
// code, latency per operation, subgraph fetches, the query-plan cache and the response cache.
import { collectProcessMetrics } from '@interop/kit';
import { Counter, Histogram, Registry } from 'prom-client';

const SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'GraphQL requests, by operation name and whether they carried errors.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'gateway_errors_total',
    help: 'Errors sent to clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to response, by operation name.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly fetchLatency = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time of each fetch to a subgraph, by subgraph and outcome (ok, timeout, unreachable, status).',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly fetchFailures = new Counter({
    name: 'gateway_subgraph_fetch_failures_total',
    help: 'Failed fetches to a subgraph, by subgraph and reason.',
    labelNames: ['subgraph', 'reason'] as const,
    registers: [this.registry],
  });
  readonly planCache = new Counter({
    name: 'gateway_query_plan_cache_total',
    help: 'Query-plan cache lookups, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly directAnswers = new Counter({
    name: 'gateway_direct_answers_total',
    help: "Requests answered without Apollo Server's request pipeline: repeats of operations run before.",
    registers: [this.registry],
  });

  readonly responseCache = new Counter({
    name: 'gateway_response_cache_total',
    help: 'Queries answered from the response cache (hit) or computed (miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectProcessMetrics(this.registry, 'gateway_');
  }
}
