// `GET /ready` for a subgraph or the wallet: 200 while the process serves and
// its database answers, 503 from the moment it starts stopping, so a load
// balancer or Kubernetes takes it out of rotation before its drain. (`/health`
// stays 200 while the process lives: it says whether to restart it, this
// whether to send it traffic.)
import { sendJson, type Route } from './http';

/** How long the database may take to answer the readiness check. */
const CHECK_TIMEOUT_MS = 1000;

export interface Readiness {
  route: Route;
  /** From now on /ready answers 503. */
  stopping(): void;
}

/** `check` rejects (or takes longer than a second) when the service cannot serve, e.g. a `SELECT 1` on its database. */
export function readiness(service: string, check?: () => Promise<unknown>): Readiness {
  let stopping = false;
  return {
    stopping: () => {
      stopping = true;
    },
    route: async (_req, res) => {
      if (stopping) return sendJson(res, 503, { status: 'stopping', service });
      try {
        if (check) await withTimeout(check(), CHECK_TIMEOUT_MS);
        sendJson(res, 200, { status: 'ready', service });
      } catch {
        sendJson(res, 503, { status: 'unavailable', service });
      }
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
