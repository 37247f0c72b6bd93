// A payment followed live until it settles. The gateway's paymentUpdated
// gives the payment as it is when subscribed, then again at each change of
// its status; so after a lost connection, subscribing again (after a
// back-off) gives the payment as it is by then, and no change made meanwhile
// is missed. An update whose status the caller has already been given is not
// given twice.
import type { PaymentStatus, SdkPaymentFieldsFragment, SdkPaymentUpdatedSubscription } from './__generated__/operations';
import { InteropError, InteropTransportError } from './errors';
import { PAYMENT_UPDATED } from './operations';
import { delayBeforeRetry, isRetryable } from './retry-policy';
import { sleep } from './sleep';
import { subscribeOnce, type SubscriptionSettings } from './subscription';

/** Statuses that a buyer's decision or the wallet still changes; every other one is the payment's outcome. */
const UNSETTLED: ReadonlySet<PaymentStatus> = new Set<PaymentStatus>(['REQUIRES_ACTION', 'PROCESSING']);

/** Whether a payment has its outcome: SUCCEEDED (refunds may still follow), FAILED, CANCELED, EXPIRED, or refunded. */
export function isSettled(status: PaymentStatus): boolean {
  return !UNSETTLED.has(status);
}

export interface FollowSettings extends SubscriptionSettings {
  /** The first back-off before subscribing again, doubling each time. */
  retryDelayMs: number;
  /** Back-offs (Retry-After included) longer than this are not waited: the error is thrown. */
  maxRetryWaitMs: number;
}

export interface FollowOptions {
  /** Ends the following: the iterator throws the signal's reason. */
  signal?: AbortSignal;
  /** How many times in a row to subscribe again when the connection is lost before an update; 10 by default. */
  reconnects?: number;
}

export const DEFAULT_RECONNECTS = 10;

export async function* followPayment(settings: FollowSettings, paymentId: string, options: FollowOptions = {}): AsyncGenerator<SdkPaymentFieldsFragment, void, undefined> {
  const reconnects = options.reconnects ?? DEFAULT_RECONNECTS;
  if (!Number.isInteger(reconnects) || reconnects < 0) throw new TypeError('reconnects must be a whole number of at least 0');
  const request = { query: PAYMENT_UPDATED, variables: { id: paymentId } };
  let lastStatus: PaymentStatus | undefined;
  let failures = 0;
  for (;;) {
    let failure: InteropError | InteropTransportError;
    try {
      for await (const { paymentUpdated: payment } of subscribeOnce<SdkPaymentUpdatedSubscription>(settings, request, options.signal)) {
        failures = 0;
        if (payment.status !== lastStatus) {
          lastStatus = payment.status;
          yield payment;
        }
        if (isSettled(payment.status)) return;
      }
      // The gateway ends a payment's subscription only once nothing can follow; before that, an end is a gateway going away.
      failure = new InteropTransportError('network', 'The subscription ended before the payment settled.', {}, { idempotencyKey: undefined, attempts: 1 });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!(error instanceof InteropError || error instanceof InteropTransportError)) throw error;
      failure = error;
    }
    failures += 1;
    if (failures > reconnects || !isRetryable(failure)) throw failure;
    const wait = delayBeforeRetry(failure, failures, settings.retryDelayMs);
    if (wait > settings.maxRetryWaitMs) throw failure;
    await sleep(wait, options.signal);
  }
}
