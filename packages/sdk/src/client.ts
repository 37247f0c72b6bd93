// The partner's client: one typed method per operation. Every mutation call
// makes one idempotency key (or takes the caller's) and sends it on each of
// its attempts, so a retry can never start a second payment or refund.
import type {
  InitiatePaymentInput,
  RefundPaymentInput,
  SdkCancelPaymentMutation,
  SdkCheckoutQuery,
  SdkCheckoutQueryVariables,
  SdkInitiatePaymentMutation,
  SdkPaymentFieldsFragment,
  SdkPaymentQuery,
  SdkPlatformAcceptanceQuery,
  SdkRefundPaymentMutation,
} from './__generated__/operations';
import { followPayment, type FollowOptions, type FollowSettings } from './follow';
import { CANCEL_PAYMENT, CHECKOUT, INITIATE_PAYMENT, PAYMENT, PLATFORM_ACCEPTANCE, REFUND_PAYMENT } from './operations';
import { platformWebSocket, type WebSocketConstructor } from './subscription';
import { send, type TransportSettings } from './transport';

export type Payment = SdkPaymentFieldsFragment;
export type Refund = NonNullable<SdkRefundPaymentMutation['refundPayment']>;
export type Platform = NonNullable<SdkPlatformAcceptanceQuery['platform']>;
export type Checkout = NonNullable<SdkCheckoutQuery['checkout']>;
export type CheckoutRequest = SdkCheckoutQueryVariables;
/** `initiatePayment`'s input; the SDK adds the idempotency key. */
export type NewPayment = Omit<InitiatePaymentInput, 'idempotencyKey'>;
/** `refundPayment`'s input; the SDK adds the idempotency key. */
export type NewRefund = Omit<RefundPaymentInput, 'idempotencyKey'>;

/** An API key (sent as `x-api-key`), a partner's JWT (sent as `Authorization: Bearer`), or neither for public reads. */
export type Credential = { apiKey: string; token?: never } | { token: string; apiKey?: never } | { apiKey?: never; token?: never };

export type InteropClientOptions = Credential & {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Another fetch (a proxy agent, a test double); the global one by default. */
  fetch?: typeof fetch;
  /** Attempts after the first for a call that failed in a retryable way; 2 by default. */
  retries?: number;
  /** How long one attempt may take; 10 000 ms by default. */
  timeoutMs?: number;
  /** The first back-off between attempts, doubling each time; 250 ms by default. */
  retryDelayMs?: number;
  /** Waits (Retry-After included) longer than this are not made: the error is thrown at once. 30 000 ms by default. */
  maxRetryWaitMs?: number;
  /**
   * How `followPayment` connects: a WebSocket class to use (on Node 20, the
   * `ws` package's: `import WebSocket from 'ws'`), or `false` for Server-Sent
   * Events. By default the platform's own WebSocket where it has one (browsers,
   * Node 22 and newer), else Server-Sent Events.
   */
  webSocket?: WebSocketConstructor | false;
};

export interface CallOptions {
  /** Ends the call, and its retries, when aborted. */
  signal?: AbortSignal;
}

export interface MutationOptions extends CallOptions {
  /**
   * The key for this logical call. Give your own (an order number with an
   * attempt count) to retry the same call later, from another process or after
   * a restart; by default each call makes a new one.
   */
  idempotencyKey?: string;
}

export interface InteropClient {
  /** A platform and its rule for each payment tool; null when no platform has that id. */
  platformAcceptance(platformId: string, options?: CallOptions): Promise<Platform | null>;
  /** Every payment tool at this checkout, available in checkout order or unavailable with its reason. */
  checkout(request: CheckoutRequest, options?: CallOptions): Promise<Checkout>;
  /** Starts a payment; it comes back REQUIRES_ACTION with the buyer's `nextAction`. */
  initiatePayment(input: NewPayment, options?: MutationOptions): Promise<Payment>;
  /** Cancels a payment the buyer has not paid. */
  cancelPayment(paymentId: string, options?: MutationOptions): Promise<Payment>;
  /** Refunds part or all of a paid payment. */
  refundPayment(input: NewRefund, options?: MutationOptions): Promise<Refund>;
  /** A payment of yours; null when no payment has that id. */
  payment(paymentId: string, options?: CallOptions): Promise<Payment | null>;
  /**
   * A payment of yours, live: the payment as it is now, then again at each
   * change of its status, ending with the status that settles it (SUCCEEDED,
   * FAILED, CANCELED, EXPIRED, or a refund's). A lost connection is made
   * again with back-off, and what changed meanwhile still comes, once.
   */
  followPayment(paymentId: string, options?: FollowOptions): AsyncGenerator<Payment, void, undefined>;
}

const DEFAULTS = { retries: 2, timeoutMs: 10_000, retryDelayMs: 250, maxRetryWaitMs: 30_000 };

export function createInteropClient(options: InteropClientOptions): InteropClient {
  const settings = transportSettings(options);
  const following = followSettings(options, settings);
  const read = <TData>(query: string, variables: Record<string, unknown>, call: CallOptions = {}) =>
    send<TData>(settings, { query, variables, signal: call.signal });
  const write = <TData>(query: string, variables: (key: string) => Record<string, unknown>, call: MutationOptions = {}) => {
    const idempotencyKey = call.idempotencyKey ?? globalThis.crypto.randomUUID();
    return send<TData>(settings, { query, variables: variables(idempotencyKey), idempotencyKey, signal: call.signal });
  };

  return {
    async platformAcceptance(platformId, call) {
      return (await read<SdkPlatformAcceptanceQuery>(PLATFORM_ACCEPTANCE, { platformId }, call)).platform;
    },
    async checkout(request, call) {
      return present((await read<SdkCheckoutQuery>(CHECKOUT, request, call)).checkout, 'checkout');
    },
    async initiatePayment(input, call) {
      const data = await write<SdkInitiatePaymentMutation>(INITIATE_PAYMENT, (idempotencyKey) => ({ input: { ...input, idempotencyKey } }), call);
      return present(data.initiatePayment, 'initiatePayment');
    },
    async cancelPayment(paymentId, call) {
      const data = await write<SdkCancelPaymentMutation>(CANCEL_PAYMENT, (idempotencyKey) => ({ id: paymentId, idempotencyKey }), call);
      return present(data.cancelPayment, 'cancelPayment');
    },
    async refundPayment(input, call) {
      const data = await write<SdkRefundPaymentMutation>(REFUND_PAYMENT, (idempotencyKey) => ({ input: { ...input, idempotencyKey } }), call);
      return present(data.refundPayment, 'refundPayment');
    },
    async payment(paymentId, call) {
      return (await read<SdkPaymentQuery>(PAYMENT, { id: paymentId }, call)).payment;
    },
    followPayment(paymentId, call) {
      return followPayment(following, paymentId, call);
    },
  };
}

function followSettings(options: InteropClientOptions, settings: TransportSettings): FollowSettings {
  const { url, headers, fetch, timeoutMs, retryDelayMs, maxRetryWaitMs } = settings;
  const webSocket = options.webSocket === false ? undefined : (options.webSocket ?? platformWebSocket());
  return { url, headers, fetch, timeoutMs, retryDelayMs, maxRetryWaitMs, webSocket };
}

function transportSettings(options: InteropClientOptions): TransportSettings {
  if (!options.url) throw new TypeError('createInteropClient needs the gateway url');
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const settings = {
    url: options.url,
    headers,
    // Called through a function of its own: a browser's fetch throws when called as another object's method.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    retries: options.retries ?? DEFAULTS.retries,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    maxRetryWaitMs: options.maxRetryWaitMs ?? DEFAULTS.maxRetryWaitMs,
  };
  for (const name of ['retries', 'timeoutMs', 'retryDelayMs', 'maxRetryWaitMs'] as const) {
    if (!Number.isInteger(settings[name]) || settings[name] < 0) throw new TypeError(`${name} must be a whole number of at least 0`);
  }
  if (settings.timeoutMs === 0) throw new TypeError('timeoutMs must be at least 1');
  return settings;
}

/** A root field the schema makes nullable only for the error that comes with it. */
function present<T>(value: T | null, field: string): T {
  if (value === null) throw new Error(`The graph answered ${field} with null and no error.`);
  return value;
}
