// The rows the commerce store holds; resolvers receive these as parents.
import type { AcceptanceStatus } from '@interop/domain';

export type OperatorGroup = 'ALIBABA' | 'ANT_GROUP' | 'MEITUAN' | 'JD';
export type PlatformCategory =
  | 'MARKETPLACE'
  | 'FOOD_DELIVERY'
  | 'TRAVEL'
  | 'VIDEO'
  | 'TICKETING'
  | 'CROSS_BORDER'
  | 'READING'
  | 'SUPER_APP';

export interface PlatformRow {
  id: string;
  name: string;
  operator: string;
  operatorGroup: OperatorGroup;
  category: PlatformCategory;
}

export interface AcceptanceEventRow {
  status: AcceptanceStatus;
  date: string | null;
  description: string;
  source: string;
}

/** A platform's rule for one tool. The current status is the last event of its history. */
export interface AcceptanceRow {
  platformId: string;
  toolId: string;
  status: AcceptanceStatus;
  since: string | null;
  requiresMerchantOptIn: boolean;
  checkoutRank: number;
  source: string;
  history: AcceptanceEventRow[];
}

export interface ListingRow {
  hostId: string;
  serviceId: string;
  since: string | null;
  source: string;
}

/** A tool reference; the payments subgraph resolves the rest of the tool. */
export interface PaymentToolRef {
  id: string;
}
