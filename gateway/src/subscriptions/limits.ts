// How much one subscriber may hold, and for how long a connection may sit
// without a subscription. Every bound has a default; the operator may change
// any of them (GatewayOptions.subscriptionLimits, or GATEWAY_SUBSCRIPTION_* in
// the environment).
import type { GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode } from '../__generated__/error-codes';

export interface SubscriptionLimits {
  /** Subscriptions one WebSocket connection, or one SSE stream in single-connection mode, may hold at once. */
  maxPerConnection: number;
  /** Subscriptions one caller (a credential, or an address without one) may hold at once, over every transport and all connections. */
  maxPerCaller: number;
  /** How long a new WebSocket may take to send connection_init, and a reserved SSE stream (single-connection mode) to be opened. */
  connectionInitTimeoutMs: number;
  /** How often a WebSocket is pinged; a connection that does not answer within the same time is dropped. */
  keepAliveMs: number;
  /** How long a WebSocket, or an SSE stream in single-connection mode, may stay open without any subscription (or, on a WebSocket, any operation). */
  idleTimeoutMs: number;
  /** How often a subscription over multipart HTTP sends an empty part, so the client and proxies between see it alive. */
  heartbeatMs: number;
  /** Bytes a subscriber may leave unread (sent but not taken by the network) before it is disconnected as too slow. */
  maxBufferedBytes: number;
  /** How long a new subscription waits for the gateway's live events to be connected. */
  eventsReadyTimeoutMs: number;
  /**
   * How often a subscription re-reads its entity although no change was
   * announced: the bound on how late a change whose announcement was lost
   * (its publisher killed between its commit and its publish) reaches the
   * subscriber. A re-read that finds nothing new sends nothing.
   */
  recheckMs: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  maxPerConnection: 20,
  maxPerCaller: 200,
  connectionInitTimeoutMs: 5_000,
  keepAliveMs: 12_000,
  idleTimeoutMs: 60_000,
  heartbeatMs: 5_000,
  maxBufferedBytes: 1024 * 1024,
  eventsReadyTimeoutMs: 5_000,
  recheckMs: 30_000,
};

/** Counts subscriptions per caller across transports; in this gateway process only. */
export class CallerQuota {
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Takes one slot for `key`: the function that gives it back, or null when `key` holds the limit already. */
  acquire(key: string): (() => void) | null {
    const count = this.held.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }
}

export function tooManySubscriptions(scope: 'connection' | 'caller', limit: number): GraphQLFormattedError {
  return {
    message: `At most ${limit} subscriptions at once per ${scope}; complete one before starting another.`,
    extensions: { code: GatewayErrorCode.TOO_MANY_SUBSCRIPTIONS, scope, limit },
  };
}
