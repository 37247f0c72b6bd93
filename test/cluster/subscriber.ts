// One paymentUpdated subscriber, as a partner's app follows a payment:
// graphql-ws through the balancer, reconnecting (through the balancer again,
// so to whichever gateway is up) when its connection drops, and subscribing
// again should its subscription end before the payment's final status.
// Reconnected, it is sent the payment as it stands, so a change made while it
// was away is not missed.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { sleep } from './recorder';

const PAYMENT_UPDATED = /* GraphQL */ `subscription ClusterFollow($id: ID!) { paymentUpdated(id: $id) { id status } }`;

export interface Followed {
  paymentId: string;
  /** Every status delivered, in order (repeats after a reconnection included). */
  statuses: string[];
  /** Connections opened: more than one means it reconnected. */
  connections: number;
  /** Times it subscribed again after its subscription ended or failed. */
  resubscribed: number;
  sawFinal: boolean;
  /** From subscribing to the first result. */
  firstResultMs: number | null;
}

export interface Following {
  /** Resolves once the first result arrived (the subscription is live), or false if it never did. */
  live: Promise<boolean>;
  /** Resolves once the final status arrived or `deadline()` passed. */
  done: Promise<Followed>;
}

const MAX_RESUBSCRIBES = 20;

export function follow(wsUrl: string, apiKey: string, paymentId: string, finalStatus: string, deadline: () => number): Following {
  const followed: Followed = { paymentId, statuses: [], connections: 0, resubscribed: 0, sawFinal: false, firstResultMs: null };
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': apiKey },
    lazy: true,
    retryAttempts: 50,
    shouldRetry: () => true,
    retryWait: (retries) => sleep(Math.min(2000, 100 * 2 ** retries) * (0.5 + Math.random() / 2)),
    on: { connected: () => (followed.connections += 1) },
  });
  const started = Date.now();
  let markLive: (live: boolean) => void = () => {};
  const live = new Promise<boolean>((resolve) => (markLive = resolve));
  const done = new Promise<Followed>((resolve) => {
    let unsubscribe = () => {};
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      markLive(followed.firstResultMs !== null);
      unsubscribe();
      void client.dispose();
      resolve(followed);
    };
    const subscribe = () => {
      unsubscribe = client.subscribe<{ paymentUpdated: { id: string; status: string } }>(
        { query: PAYMENT_UPDATED, variables: { id: paymentId } },
        {
          next: (result) => {
            const status = result.data?.paymentUpdated.status;
            if (!status) return;
            followed.statuses.push(status);
            if (followed.firstResultMs === null) {
              followed.firstResultMs = Date.now() - started;
              markLive(true);
            }
            if (status === finalStatus) {
              followed.sawFinal = true;
              finish();
            }
          },
          error: () => again(),
          complete: () => again(),
        },
      );
    };
    const again = () => {
      if (finished) return;
      if (followed.resubscribed >= MAX_RESUBSCRIBES || Date.now() > deadline()) return finish();
      followed.resubscribed += 1;
      setTimeout(() => !finished && subscribe(), 250);
    };
    const watch = setInterval(() => Date.now() > deadline() && finish(), 250);
    subscribe();
  });
  return { live, done };
}
