// The demo's way of following a payment: live, over the paymentUpdated
// subscription, and by polling `payment(id)` once the live connection fails or
// drops (a proxy without WebSockets, a gateway restarting, a browser policy
// refusing it). Polling's first answer is the payment now, so a change made
// while live was being lost still shows. The page is told which it is.
import { followLive } from './live';
import { pollPayment } from './poll';
import type { PaymentWatcher } from './watch';

export const watchPayment: PaymentWatcher = (id, listener) => {
  let stopped = false;
  let live = false;
  let stop = followLive(id, {
    next: (payment) => {
      if (!live) listener.mode?.('live');
      live = true;
      listener.next(payment);
    },
    lost: () => {
      if (stopped) return;
      listener.mode?.('polling');
      stop = pollPayment(id, listener);
    },
  });
  return () => {
    stopped = true;
    stop();
  };
};
