// Where the gateway hears of payment status changes: see followed-bus (Redis,
// PostgreSQL, or payments' own stream /events/payments). One subscription per
// gateway process, made when the first subscriber arrives, fanned out here by
// payment id.
import { decodePaymentEvent, PAYMENT_EVENTS_CHANNEL, PAYMENT_EVENTS_PATH, type EventBus, type Logger, type PaymentChanged } from '@interop/kit';
import { openFollowedBus, type FollowedBusConfig } from '../followed-bus';

/** The channel is `payment_events` unless given, as payments uses. */
export type PaymentEventsConfig = FollowedBusConfig;

/** A change of the followed payment, or null when changes may have been missed and the payment must be re-read. */
export type PaymentEventListener = (event: PaymentChanged | null) => void;

export interface PaymentEventsSource {
  /** The payments subgraph's routing URL, once the supergraph is loaded. */
  paymentsUrl: () => string | undefined;
  /** Signs reads of the payments event stream; shared with payments. */
  secret: string;
}

export class PaymentEvents {
  private readonly followers = new Map<string, Set<PaymentEventListener>>();
  private subscribed = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly logger?: Logger,
  ) {}

  static open(config: PaymentEventsConfig, source: PaymentEventsSource, logger?: Logger): PaymentEvents {
    const bus = openFollowedBus(config, PAYMENT_EVENTS_CHANNEL, { subgraphUrl: source.paymentsUrl, path: PAYMENT_EVENTS_PATH, secret: source.secret }, logger);
    return new PaymentEvents(bus, logger);
  }

  /** Calls `listener` for every change of `paymentId` from now on; returns the function that stops it. */
  follow(paymentId: string, listener: PaymentEventListener): () => void {
    this.subscribe();
    let listeners = this.followers.get(paymentId);
    if (!listeners) {
      listeners = new Set();
      this.followers.set(paymentId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.followers.get(paymentId) === listeners) this.followers.delete(paymentId);
    };
  }

  /** True once changes published from now on will be heard. */
  ready(timeoutMs: number): Promise<boolean> {
    this.subscribe();
    return this.bus.ready(timeoutMs);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.followers.clear();
    await this.bus.close();
  }

  private subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    this.unsubscribe = this.bus.subscribe({
      message: (text) => {
        const event = decodePaymentEvent(text);
        if (!event) {
          this.logger?.warn('payment event ignored: not a payment event');
          return;
        }
        if ('resync' in event) this.everyone(null);
        else for (const listener of [...(this.followers.get(event.paymentId) ?? [])]) listener(event);
      },
      gap: () => this.everyone(null),
    });
  }

  private everyone(event: null): void {
    for (const listeners of [...this.followers.values()]) for (const listener of [...listeners]) listener(event);
  }
}
