// An Apollo Server plugin that counts requests and errors, times operations,
// and logs one line per request with its id.
import type { ApolloServerPlugin } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { Logger } from '@interop/kit';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './metrics';

const NAMED = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** How many operation names are followed at once, and so how many can be label values. */
export const FOLLOWED_OPERATION_NAMES = 500;
/** Requests a name must make, while followed, before it becomes a label value of its own. */
export const REQUESTS_TO_BE_LABELLED = 5;

/**
 * The `operation` label of a request. Operation names come from clients, so
 * a name becomes a label value only once it has been sent several times while
 * among the names most recently seen; until then, and for names that never
 * repeat (random or one-off), it is `other`. A name pushed out of the followed
 * set takes its series with it, so the series stay bounded whatever clients send.
 */
export class OperationLabels {
  private readonly counts: LRUCache<string, number>;
  private readonly threshold: number;

  constructor(
    private readonly metrics: GatewayMetrics,
    options: { followed?: number; requestsToBeLabelled?: number } = {},
  ) {
    const threshold = options.requestsToBeLabelled ?? REQUESTS_TO_BE_LABELLED;
    this.threshold = threshold;
    this.counts = new LRUCache({
      max: options.followed ?? FOLLOWED_OPERATION_NAMES,
      dispose: (count, operation, reason) => {
        if (reason === 'evict' && count >= threshold) this.forget(operation);
      },
    });
  }

  /** A trusted document's name is a label from its first request: the manifest bounds them. */
  label(name: string | null | undefined, trusted = false): string {
    if (!name || !NAMED.test(name)) return name ? 'other' : 'anonymous';
    if (trusted) return name;
    const count = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, count);
    return count >= this.threshold ? name : 'other';
  }

  private forget(operation: string): void {
    this.metrics.latency.remove({ operation });
    for (const outcome of ['ok', 'error']) this.metrics.requests.remove({ operation, outcome });
  }
}

/** One request being measured: its errors' codes as they are met, then its outcome once it is answered. */
export interface MeasuredRequest {
  errors(errors: readonly { extensions?: Record<string, unknown> }[]): void;
  answered(operationName: string | null | undefined): void;
}

/** Counts, times and logs each request, whichever path answers it (Apollo Server's plugins or the direct path). */
export class RequestMetrics {
  private readonly labels: OperationLabels;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {
    this.labels = new OperationLabels(metrics);
  }

  begin(context: GatewayContext): MeasuredRequest {
    const { metrics, logger, labels } = this;
    const started = performance.now();
    const codes: string[] = [];
    return {
      errors(errors) {
        for (const error of errors) {
          const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
          codes.push(code);
          metrics.errors.inc({ code });
        }
      },
      answered(operationName) {
        const operation = labels.label(operationName, context.trustedDocument);
        const seconds = (performance.now() - started) / 1000;
        metrics.latency.observe({ operation }, seconds);
        metrics.requests.inc({ operation, outcome: codes.length ? 'error' : 'ok' });
        logger.info({ requestId: context.requestId, operation, ms: Math.round(seconds * 1000), errors: codes }, 'request');
      },
    };
  }
}

export function requestMetricsPlugin(requests: RequestMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.warmUp) return {};
      const measured = requests.begin(contextValue);
      return {
        async didEncounterErrors({ errors }) {
          measured.errors(errors);
        },
        async willSendResponse({ operationName }) {
          measured.answered(operationName);
        },
      };
    },
  };
}
