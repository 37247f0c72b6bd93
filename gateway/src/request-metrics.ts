// An Apollo Server plugin that counts requests and errors, times operations,
// and logs one line per request with its id.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@interop/kit';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './metrics';

const NAMED = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 500;

export function requestMetricsPlugin(metrics: GatewayMetrics, logger: Logger): ApolloServerPlugin<GatewayContext> {
  // Operation names come from clients: bound how many become label values.
  const seen = new Set<string>();
  const label = (name: string | null | undefined) => {
    if (!name || !NAMED.test(name)) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_LABELS) return 'other';
    seen.add(name);
    return name;
  };
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const codes: string[] = [];
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            codes.push(code);
            metrics.errors.inc({ code });
          }
        },
        async willSendResponse({ operationName }) {
          const operation = label(operationName);
          const seconds = (performance.now() - started) / 1000;
          metrics.latency.observe({ operation }, seconds);
          metrics.requests.inc({ operation, outcome: codes.length ? 'error' : 'ok' });
          logger.info({ requestId: contextValue.requestId, operation, ms: Math.round(seconds * 1000), errors: codes }, 'request');
        },
      };
    },
  };
}
