// The rows the merchants store holds; resolvers receive these as parents.
import type { Page } from '@interop/kit/server';
import type { EnrolmentStatus } from '../enrolment-lifecycle';

export type { EnrolmentStatus };

export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';

export interface MerchantRow {
  /** Internal ordered key used for keyset pagination; never shown. */
  seq: number;
  id: string;
  name: string;
  status: MerchantStatus;
  eligible: boolean;
  category: 'APPAREL' | 'ELECTRONICS' | 'GROCERY' | 'RESTAURANT' | 'HOTEL' | 'BEAUTY' | 'HOME' | 'ENTERTAINMENT' | 'DIGITAL_CONTENT';
  city: string;
}

/** A merchant read with its storefronts, each with the tools it has opted into. */
export interface MerchantWithStorefronts {
  merchant: MerchantRow;
  storefronts: StorefrontRow[];
}

export interface StorefrontRow {
  /** `<merchantId>:<platformId>` */
  id: string;
  merchantSeq: number;
  merchantId: string;
  platformId: string;
  openedOn: string;
  /** The tools it had opted into (ACTIVE enrolments) when it was read, sorted; `loaders.enrolledToolIds` answers after a change. */
  enrolledToolIds: readonly string[];
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

/** One enrolment as its key names it: a tool on a merchant's storefront. */
export interface EnrolmentKey {
  merchantSeq: number;
  platformId: string;
  toolId: string;
}

/** A merchant's enrolment of a tool on one platform. */
export interface EnrolmentRow extends EnrolmentKey {
  status: EnrolmentStatus;
  /** When the current status began (ISO 8601). */
  since: string;
}

export interface EnrolmentEventRow {
  status: EnrolmentStatus;
  at: string;
}
