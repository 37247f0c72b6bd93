// The rows the payments store holds; resolvers receive these as parents.
import type { FederationReferenceTypes } from '../__generated__/resolvers';

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
}

/** A storefront as the gateway hands it over: its key plus the facts `paymentOptions` requires. */
export type StorefrontRef = FederationReferenceTypes['Storefront'];

export type PaymentStatus =
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

export type NextActionType = 'REDIRECT' | 'QR_CODE';

export interface NextActionRow {
  type: NextActionType;
  url: string;
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
  nextActionQr: string | null;
  expiresAt: string;
  idempotencyKey: string;
  requestHash: string;
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

export type PaymentConnectionRow = import('@interop/kit').Page<PaymentRow>;
