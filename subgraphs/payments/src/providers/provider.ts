// What payments needs from a wallet provider. The sandbox wallet implements
// it over HTTP; a real Alipay or WeChat Pay adapter would implement the same
// calls against the provider's API and deliver its notifications to the same
// webhook handler.
import type { Channel, CurrencyCode, NextActionType } from '../store/types';

export interface ProviderPayment {
  paymentId: string;
  toolId: string;
  merchantId: string;
  platformId: string;
  amountMinor: number;
  currency: CurrencyCode;
  reference: string;
  expiresAt: string;
  /** What the wallet shows the buyer instead of ids; left out when the owners could not say. */
  merchantName?: string | undefined;
  platformName?: string | undefined;
}

export interface ProviderNextAction {
  type: NextActionType;
  url: string;
  /** For QR_CODE: the text the QR code encodes (the API shows it as an image); null otherwise. */
  qrCode: string | null;
}

export interface NextActionRequest {
  paymentId: string;
  toolId: string;
  /** Where the buyer checks out; null when the caller did not say. */
  channel: Channel | null;
  /** What the tool does on that channel (its `PaymentTool.channels`): the provider presents the action this way. */
  type: NextActionType;
}

/**
 * Where a payment stands at the provider. PENDING: the buyer has not decided
 * and still may; EXPIRED: the buyer did not decide in time and no longer can.
 */
export type ProviderPaymentStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED' | 'EXPIRED';

export interface ProviderPaymentState {
  status: ProviderPaymentStatus;
  amountMinor: number;
  currency: string;
}

export interface PaymentProvider {
  /**
   * What the buyer does to approve the payment on its channel: a jump into the
   * wallet (REDIRECT) or a QR code to scan (QR_CODE, with what it encodes). A pure
   * function of the request, so it is known before the provider is called.
   */
  nextActionFor(request: NextActionRequest): Promise<ProviderNextAction>;
  /** Registers the payment with the wallet; idempotent on the payment id. Throws DEPENDENCY_UNAVAILABLE when the wallet does not answer. */
  createPayment(payment: ProviderPayment): Promise<void>;
  /**
   * Where the payment stands, for reconciling one whose notification did not
   * arrive; null when the provider has no such payment (it was never
   * registered). Throws DEPENDENCY_UNAVAILABLE when the wallet does not answer.
   */
  retrieve(paymentId: string): Promise<ProviderPaymentState | null>;
  /** Voids an unpaid payment at the wallet; false when the buyer already approved it. */
  cancelPayment(paymentId: string): Promise<boolean>;
  /** Returns money to the buyer; idempotent on the refund id. */
  refund(refund: { refundId: string; paymentId: string; amountMinor: number; currency: CurrencyCode }): Promise<void>;
}
