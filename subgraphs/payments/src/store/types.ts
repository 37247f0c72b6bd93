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
