// The rows the merchants store holds; resolvers receive these as parents.
import type { Page } from '@interop/kit';

export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';

export interface MerchantRow {
  /** Internal ordered key used for keyset pagination; never shown. */
  seq: number;
  id: string;
  name: string;
  status: MerchantStatus;
  eligible: boolean;
  category: 'APPAREL' | 'ELECTRONICS' | 'GROCERY' | 'RESTAURANT' | 'HOTEL' | 'BEAUTY' | 'HOME' | 'ENTERTAINMENT';
  city: string;
}

export interface StorefrontRow {
  /** `<merchantId>:<platformId>` */
  id: string;
  merchantSeq: number;
  merchantId: string;
  platformId: string;
  openedOn: string;
}

/** A page of merchants; the total is counted only when a client asks for it. */
export interface MerchantConnectionRow extends Page<MerchantRow> {
  totalCount: () => Promise<number>;
}

export interface PlatformRef {
  id: string;
}

export interface PaymentToolRef {
  id: string;
}
