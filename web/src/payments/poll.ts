// Following a payment by asking `payment(id)` about once a second while the
// buyer waits: the way the page keeps up when the live connection is not there.
import { request } from '../api/client';
import { graphql } from '../gql';
import { isWaiting, type PaymentWatcher } from './watch';

const FollowPayment = graphql(`
  query FollowPayment($id: ID!) {
    payment(id: $id) {
      ...PaymentDetails
    }
  }
`);

const INTERVAL_MS = 1000;
const MAX_BACKOFF_MS = 8000;

export const pollPayment: PaymentWatcher = (id, listener) => {
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const controller = new AbortController();

  const ask = async () => {
    try {
      const { payment } = await request(FollowPayment, { id }, controller.signal);
      if (stopped) return;
      failures = 0;
      listener.next(payment ?? null);
      if (!payment || !isWaiting(payment.status)) return;
    } catch (error) {
      if (stopped) return;
      failures += 1;
      listener.error(error);
    }
    // The next ask starts after this one ends, so a slow graph is never asked twice at once.
    timer = setTimeout(() => void ask(), failures === 0 ? INTERVAL_MS : Math.min(INTERVAL_MS * 2 ** failures, MAX_BACKOFF_MS));
  };
  void ask();

  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
};
