// @interop/sdk: typed calls to the Interop Graph for partner apps, with safe
// retries and typed error codes, and payments followed live. It runs on
// Node.js and in browsers alike; the webhook signature check, which needs
// Node's crypto, is `@interop/sdk/webhooks`.
export { createInteropClient } from './client';
export type {
  CallOptions,
  Checkout,
  CheckoutRequest,
  Credential,
  InteropClient,
  InteropClientOptions,
  MutationOptions,
  NewPayment,
  NewRefund,
  Payment,
  Platform,
  Refund,
} from './client';
export { ERROR_CODES, RETRYABLE_CODES, isErrorCode, type ErrorCode } from './error-codes';
export { InteropError, InteropTransportError, type CallFailure, type GraphQLErrorEntry, type TransportFailure } from './errors';
export { isSettled, type FollowOptions } from './follow';
export { isRetryable } from './retry-policy';
export type { WebSocketConstructor } from './subscription';
export type {
  AcceptanceStatus,
  Channel,
  CurrencyCode,
  MoneyInput,
  NextActionType,
  PaymentStatus,
  RefundStatus,
  UnavailableReason,
} from './__generated__/operations';
