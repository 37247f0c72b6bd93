// @interop/sdk: typed calls to the Interop Graph for partner apps, with safe
// retries and typed error codes, and the webhook signature check.
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
export { isRetryable } from './retry-policy';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  WEBHOOK_SIGNATURE_HEADER,
  verifyWebhook,
  type WebhookCheck,
  type WebhookCheckOptions,
  type WebhookEvent,
} from './webhooks';
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
