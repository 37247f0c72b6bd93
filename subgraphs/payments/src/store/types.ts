// The rows the payments store holds; resolvers receive these as parents.
import type { Channel, NextActionType, PaymentStatus, UnavailableReason } from '@interop/domain';

export type { Channel, NextActionType, PaymentStatus, UnavailableReason };

export type PaymentToolKind = 'DIGITAL_WALLET' | 'CARD_NETWORK' | 'CENTRAL_BANK_DIGITAL_CURRENCY' | 'CARRIER_WALLET';
export type OperationalStatus = 'OPERATIONAL' | 'DEGRADED' | 'SUSPENDED';
export type CurrencyCode = 'CNY';

export interface PaymentToolRow {
  id: string;
  name: string;
  provider: string;
  kind: PaymentToolKind;
  perPaymentMinMinor: number;
  perPaymentMaxMinor: number;
  currency: CurrencyCode;
  operationalStatus: OperationalStatus;
  /** The channels the tool works in, in enum order, with the next action on each. */
  channels: readonly ToolChannelRow[];
}

export interface ToolChannelRow {
  channel: Channel;
  nextActionType: NextActionType;
  /** The source story with a quote, or `demo data`. */
  source: string;
}

/** Two tools that interoperate, with where the fact comes from. */
export interface InteropRow {
  toolIds: readonly [string, string];
  source: string;
}

export interface MoneyRow {
  amountMinor: number;
  currency: CurrencyCode;
}

export interface PaymentOptionRow {
  toolId: string;
  rank: number;
  isDefault: boolean;
  /** On the channel the checkout asked for; null without one. */
  nextActionType: NextActionType | null;
  /** The tool itself, when the checkout that made the option had it at hand. */
  tool?: PaymentToolRow | undefined;
}

export interface UnavailableOptionRow {
  toolId: string;
  reason: UnavailableReason;
  detail: string;
  /** The tool itself, when the checkout that made the option had it at hand. */
  tool?: PaymentToolRow | undefined;
}

export interface CheckoutRow {
  available: PaymentOptionRow[];
  unavailable: UnavailableOptionRow[];
}

export interface NextActionRow {
  type: NextActionType;
  url: string;
  /** What the QR code encodes; the resolver turns it into the image. */
  qrCode: string | null;
  expiresAt: string;
}

export interface PaymentRow {
  /** Internal ordered key for keyset pages; never shown. */
  seq: number;
  id: string;
  platformId: string;
  merchantId: string;
  toolId: string;
  amountMinor: number;
  currency: CurrencyCode;
  status: PaymentStatus;
  reference: string;
  nextActionType: NextActionType;
  nextActionUrl: string;
  /** For QR_CODE: what the code encodes (NextAction.qrCode draws it as an image). */
  nextActionQr: string | null;
  /** The channel the payment was started for; null when none was given. */
  channel: Channel | null;
  expiresAt: string;
  /** The partner that created it: it alone (and the merchant's console) may see and act on it. */
  partnerId: string;
  idempotencyKey: string;
  requestHash: string;
  /** Whether the wallet acknowledged the payment; false until it does (or after a crash in between). */
  registered: boolean;
  createdAt: string;
  updatedAt: string;
}

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface RefundRow {
  id: string;
  paymentId: string;
  amountMinor: number;
  currency: CurrencyCode;
  reason: string;
  status: RefundStatus;
  /** The partner that asked for the refund; its idempotency keys are its own. */
  partnerId: string;
  idempotencyKey: string;
  requestHash: string;
  createdAt: string;
}

export interface PaymentEventRow {
  paymentId: string;
  fromStatus: PaymentStatus | null;
  toStatus: PaymentStatus;
  at: string;
  cause: string;
}

export interface EntityRef {
  id: string;
}

export type PaymentConnectionRow = import('@interop/kit/server').Page<PaymentRow>;
