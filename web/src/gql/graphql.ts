/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a payment tool stands on a platform. */
export type AcceptanceStatus =
  /** Announced or under consultation; buyers cannot pay with it yet. */
  | 'ANNOUNCED'
  /** Open at checkout for every merchant on the platform (subject to opt-in where required). */
  | 'LIVE'
  /** Open to some buyers or products only; not offered at checkout in general. */
  | 'PILOT'
  /** Opening in batches: merchants reached by the rollout (those that opened the tool, where opt-in is required) take it. */
  | 'ROLLING_OUT'
  /** Was accepted, now switched off. */
  | 'SUSPENDED';

/** Where a buyer checks out. */
export type Channel =
  /** The platform's own mobile app (e.g. the Taobao app). */
  | 'APP'
  /** A mobile web page in a phone's browser. */
  | 'H5'
  /** A mini-program inside a super-app (e.g. Meituan Waimai inside the Alipay app). */
  | 'MINI_PROGRAM'
  /** A website in a desktop browser. */
  | 'WEB';

/** Currencies the graph knows. Payments are taken in CNY only; others are refused with INVALID_AMOUNT. */
export type CurrencyCode =
  /** Chinese yuan renminbi. */
  | 'CNY'
  /** Hong Kong dollar. */
  | 'HKD'
  /** United States dollar. */
  | 'USD';

/** What `initiatePayment` needs. */
export type InitiatePaymentInput = {
  /** How much, in minor units (fen); CNY only. */
  amount: MoneyInput;
  /**
   * Where the buyer checks out. The tool must work there (else
   * PAYMENT_TOOL_NOT_ACCEPTED with reason CHANNEL_NOT_SUPPORTED) and
   * `nextAction` is the one the tool takes there (`PaymentTool.channels`).
   * Without it, the next action is the tool's action on WEB where it works on
   * the web, else on its first channel.
   */
  channel?: Channel | null | undefined;
  /** Makes retries safe; see Mutation. */
  idempotencyKey: string;
  /** Merchant being paid, e.g. `m0000002`. */
  merchantId: string;
  /** Tool the buyer chose, e.g. `wechat-pay`; must be in `checkout(...).available` for the same ids, amount and channel. */
  paymentToolId: string;
  /** Platform the buyer checks out on, e.g. `taobao`. */
  platformId: string;
  /** Your own reference for the payment (order number), 1-128 characters; shown to the buyer. */
  reference: string;
};

/** What a merchant sells. */
export type MerchantCategory =
  /** Clothing and accessories. */
  | 'APPAREL'
  /** Beauty and personal care. */
  | 'BEAUTY'
  /** Memberships, books and other digital content, like a platform's own store sells. */
  | 'DIGITAL_CONTENT'
  /** Phones, computers and appliances. */
  | 'ELECTRONICS'
  /** Shows, concerts and events. */
  | 'ENTERTAINMENT'
  /** Groceries and packaged food. */
  | 'GROCERY'
  /** Home and furniture. */
  | 'HOME'
  /** Hotels and stays. */
  | 'HOTEL'
  /** Restaurants and takeaway. */
  | 'RESTAURANT';

/** Whether a merchant may trade. */
export type MerchantStatus =
  /** Trading normally. */
  | 'ACTIVE'
  /** Suspended by the platforms; buyers cannot pay it. */
  | 'SUSPENDED';

/** An amount of money as input. */
export type MoneyInput = {
  /** The amount in minor units (fen): 12345 is ¥123.45. Must be positive. */
  amountMinor: number;
  /** ISO 4217 currency code; payments are taken in CNY. */
  currency: CurrencyCode;
};

/** How a next action is presented. */
export type NextActionType =
  /** Show `qrCode` for the buyer to scan with the wallet app on a phone. */
  | 'QR_CODE'
  /** Send the buyer to `url`: a page in the browser, or from an app or H5 page a jump into the wallet's app. */
  | 'REDIRECT';

/** The company group operating a platform. */
export type OperatorGroup =
  /** Alibaba Group, including Taotian Group (Taobao) and Local Services (Ele.me). */
  | 'ALIBABA'
  /** Ant Group, which runs Alipay and the Alipay app. */
  | 'ANT_GROUP'
  /** JD.com. */
  | 'JD'
  /** Meituan. */
  | 'MEITUAN';

/**
 * Where a payment stands. It moves REQUIRES_ACTION -> PROCESSING -> SUCCEEDED
 * or FAILED; an unpaid payment can instead be CANCELED or become EXPIRED; a
 * SUCCEEDED payment becomes PARTIALLY_REFUNDED and REFUNDED as refunds land.
 */
export type PaymentStatus =
  /** Cancelled before the buyer paid. */
  | 'CANCELED'
  /** The buyer did not pay in time. */
  | 'EXPIRED'
  /** The wallet declined or could not capture. */
  | 'FAILED'
  /** Part of the captured amount was refunded. */
  | 'PARTIALLY_REFUNDED'
  /** The buyer approved; the wallet is capturing the money. */
  | 'PROCESSING'
  /** Everything captured was refunded. */
  | 'REFUNDED'
  /** Waiting for the buyer to approve it in the wallet (see nextAction). */
  | 'REQUIRES_ACTION'
  /** The money was captured. */
  | 'SUCCEEDED';

/** What `refundPayment` needs. */
export type RefundPaymentInput = {
  /** How much to refund, in the payment's currency and minor units. */
  amount: MoneyInput;
  /** Makes retries safe; see Mutation. */
  idempotencyKey: string;
  /** The payment to refund. */
  paymentId: string;
  /** Why, for the buyer and the records; 1-500 characters. */
  reason: string;
};

/** Where a refund stands. */
export type RefundStatus =
  /** The wallet did not take the refund; nothing was returned. */
  | 'FAILED'
  /** The wallet is returning the money; a retry with the same key sees the outcome. */
  | 'PENDING'
  /** The wallet returned the money to the buyer. */
  | 'SUCCEEDED';

/**
 * Why a tool is not available at a checkout. When several apply, the first in
 * this order is given: the platform's rule, then the tool's own state, then the
 * merchant, then this checkout's channel and amount.
 */
export type UnavailableReason =
  /** The tool does not work on the requested channel. */
  | 'CHANNEL_NOT_SUPPORTED'
  /** The platform asks merchants to open the tool themselves, and this merchant does not meet the rules for it. */
  | 'MERCHANT_INELIGIBLE'
  /** The platform asks merchants to open the tool themselves, and this merchant has no ACTIVE enrolment. */
  | 'MERCHANT_NOT_OPTED_IN'
  /** The merchant is suspended. */
  | 'MERCHANT_SUSPENDED'
  /** The platform's rule is ANNOUNCED or PILOT: not open at checkout yet. */
  | 'NOT_YET_LIVE'
  /** The amount is above the tool's per-payment maximum. */
  | 'OVER_LIMIT'
  /** The platform has no rule for the tool, has switched it off, or the merchant does not sell on the platform. */
  | 'PLATFORM_NOT_ACCEPTING'
  /** The tool is not taking payments right now (operationalStatus SUSPENDED). */
  | 'TOOL_UNAVAILABLE'
  /** The amount is below the tool's per-payment minimum. */
  | 'UNDER_LIMIT';

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** The endpoint answered 2xx. */
  | 'DELIVERED'
  /** Given up: every attempt for 3 days failed, or the endpoint was disabled or deleted. */
  | 'FAILED'
  /** Waiting for its first or next attempt (or for an earlier event of the same payment). */
  | 'PENDING';

/** Whether the graph sends to an endpoint. */
export type WebhookEndpointStatus =
  /** Turned off by its partner, or by the graph after a run of failed deliveries (`disabledReason` says which). */
  | 'DISABLED'
  /** Deliveries are sent. */
  | 'ENABLED';

/** What a partner's endpoint is sent: one per payment or refund change (see docs/webhooks.md for the payload). */
export type WebhookEventType =
  /** `payment.canceled`: cancelled before the buyer paid. */
  | 'PAYMENT_CANCELED'
  /** `payment.created`: a payment was started. */
  | 'PAYMENT_CREATED'
  /** `payment.expired`: the buyer did not pay in time. */
  | 'PAYMENT_EXPIRED'
  /** `payment.failed`: declined or not captured. */
  | 'PAYMENT_FAILED'
  /** `payment.processing`: the buyer approved; the wallet is capturing. */
  | 'PAYMENT_PROCESSING'
  /** `payment.requires_action`: the buyer must approve it in the wallet. */
  | 'PAYMENT_REQUIRES_ACTION'
  /** `payment.succeeded`: captured. */
  | 'PAYMENT_SUCCEEDED'
  /** `refund.failed`: a refund could not be paid back. */
  | 'REFUND_FAILED'
  /** `refund.succeeded`: a refund was paid back. */
  | 'REFUND_SUCCEEDED';

export type CatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type CatalogQuery = { platforms: Array<{ id: string, name: string | null }> | null, paymentTools: Array<{ id: string, name: string | null }> | null };

export type CheckoutInContextQueryVariables = Exact<{
  platformId: string;
  merchantId: string;
  amount: MoneyInput;
  channel: Channel;
}>;


export type CheckoutInContextQuery = { platform: { id: string, name: string | null } | null, merchant: { id: string, name: string | null, status: MerchantStatus | null } | null, checkout: { available: Array<{ rank: number, isDefault: boolean, nextActionType: NextActionType | null, tool: { id: string, name: string | null, provider: string | null } }>, unavailable: Array<{ reason: UnavailableReason, detail: string, tool: { id: string, name: string | null } }> } | null };

export type InitiatePaymentMutationVariables = Exact<{
  input: InitiatePaymentInput;
}>;


export type InitiatePaymentMutation = { initiatePayment: { id: string, status: PaymentStatus } | null };

export type MerchantChoicesQueryVariables = Exact<{
  platformId: string;
  first: number;
}>;


export type MerchantChoicesQuery = { merchants: { edges: Array<{ node: { id: string, name: string | null, city: string | null } }> } | null };

export type InteropMapQueryVariables = Exact<{ [key: string]: never; }>;


export type InteropMapQuery = { platforms: Array<{ id: string, name: string | null, operator: string | null, operatorGroup: OperatorGroup | null, acceptedPaymentTools: Array<{ status: AcceptanceStatus, since: string | null, source: string, requiresMerchantOptIn: boolean, checkoutRank: number, tool: { id: string }, history: Array<{ status: AcceptanceStatus, date: string | null, description: string, source: string }> }> | null, hosts: Array<{ since: string | null, source: string, service: { id: string, name: string | null } }> | null }> | null, paymentTools: Array<{ id: string, name: string | null, provider: string | null, interoperatesWith: Array<{ id: string }> | null }> | null };

export type MerchantViewQueryVariables = Exact<{
  id: string;
  payments: number;
}>;


export type MerchantViewQuery = { merchant: { id: string, name: string | null, city: string | null, status: MerchantStatus | null, eligible: boolean | null, storefronts: Array<{ platform: { id: string, name: string | null }, enrolledTools: Array<{ id: string, name: string | null }> }> | null, payments: { edges: Array<{ node: { id: string, status: PaymentStatus, reference: string, createdAt: string, amount: { amountMinor: number, currency: CurrencyCode, formatted: string }, refundedAmount: { amountMinor: number, formatted: string }, platform: { id: string, name: string | null }, tool: { id: string, name: string | null } } }>, pageInfo: { hasNextPage: boolean } } | null } | null };

export type RefundPaymentMutationVariables = Exact<{
  input: RefundPaymentInput;
}>;


export type RefundPaymentMutation = { refundPayment: { id: string, status: RefundStatus, amount: { formatted: string } } | null };

export type DemoWebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type DemoWebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, status: WebhookEndpointStatus, disabledReason: string | null }> };

export type DemoWebhookDeliveriesQueryVariables = Exact<{
  endpointId: string;
  first: number;
}>;


export type DemoWebhookDeliveriesQuery = { webhookDeliveries: { edges: Array<{ node: { id: string, status: WebhookDeliveryStatus, nextAttemptAt: string | null, event: { id: string, type: WebhookEventType, paymentId: string, paymentVersion: number, createdAt: string }, attempts: Array<{ at: string, statusCode: number | null, durationMs: number, error: string | null }> } }>, pageInfo: { hasNextPage: boolean } } };

export type MerchantSearchQueryVariables = Exact<{
  platformId?: string | null | undefined;
  acceptsToolId?: string | null | undefined;
  nameContains?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MerchantSearchQuery = { merchants: { totalCount: number, edges: Array<{ node: { id: string, name: string | null, city: string | null, category: MerchantCategory | null, status: MerchantStatus | null, storefronts: Array<{ platform: { id: string } }> | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type PaymentUpdatesSubscriptionVariables = Exact<{
  id: string;
}>;


export type PaymentUpdatesSubscription = { paymentUpdated: { id: string, status: PaymentStatus, reference: string, channel: Channel | null, createdAt: string, updatedAt: string, amount: { amountMinor: number, currency: CurrencyCode, formatted: string }, refundedAmount: { amountMinor: number, formatted: string }, nextAction: { type: NextActionType, url: string, qrCode: string | null, expiresAt: string } | null, platform: { id: string, name: string | null }, merchant: { id: string, name: string | null }, tool: { id: string, name: string | null }, events: Array<{ fromStatus: PaymentStatus | null, toStatus: PaymentStatus, at: string, cause: string }> } };

export type FollowPaymentQueryVariables = Exact<{
  id: string;
}>;


export type FollowPaymentQuery = { payment: { id: string, status: PaymentStatus, reference: string, channel: Channel | null, createdAt: string, updatedAt: string, amount: { amountMinor: number, currency: CurrencyCode, formatted: string }, refundedAmount: { amountMinor: number, formatted: string }, nextAction: { type: NextActionType, url: string, qrCode: string | null, expiresAt: string } | null, platform: { id: string, name: string | null }, merchant: { id: string, name: string | null }, tool: { id: string, name: string | null }, events: Array<{ fromStatus: PaymentStatus | null, toStatus: PaymentStatus, at: string, cause: string }> } | null };

export type PaymentDetailsFragment = { id: string, status: PaymentStatus, reference: string, channel: Channel | null, createdAt: string, updatedAt: string, amount: { amountMinor: number, currency: CurrencyCode, formatted: string }, refundedAmount: { amountMinor: number, formatted: string }, nextAction: { type: NextActionType, url: string, qrCode: string | null, expiresAt: string } | null, platform: { id: string, name: string | null }, merchant: { id: string, name: string | null }, tool: { id: string, name: string | null }, events: Array<{ fromStatus: PaymentStatus | null, toStatus: PaymentStatus, at: string, cause: string }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PaymentDetailsFragmentDoc = new TypedDocumentString(`
    fragment PaymentDetails on Payment {
  id
  status
  reference
  channel
  createdAt
  updatedAt
  amount {
    amountMinor
    currency
    formatted
  }
  refundedAmount {
    amountMinor
    formatted
  }
  nextAction {
    type
    url
    qrCode
    expiresAt
  }
  platform {
    id
    name
  }
  merchant {
    id
    name
  }
  tool {
    id
    name
  }
  events {
    fromStatus
    toStatus
    at
    cause
  }
}
    `, {"fragmentName":"PaymentDetails"}) as unknown as TypedDocumentString<PaymentDetailsFragment, unknown>;
export const CatalogDocument = new TypedDocumentString(`
    query Catalog {
  platforms {
    id
    name
  }
  paymentTools {
    id
    name
  }
}
    `, {"hash":"sha256:9b3be75f29606c46a88fafe3b07278ca846b9cd7664bfd3e1eae0690af38cf69"}) as unknown as TypedDocumentString<CatalogQuery, CatalogQueryVariables>;
export const CheckoutInContextDocument = new TypedDocumentString(`
    query CheckoutInContext($platformId: ID!, $merchantId: ID!, $amount: MoneyInput!, $channel: Channel!) {
  platform(id: $platformId) {
    id
    name
  }
  merchant(id: $merchantId) {
    id
    name
    status
  }
  checkout(
    platformId: $platformId
    merchantId: $merchantId
    amount: $amount
    channel: $channel
  ) {
    available {
      rank
      isDefault
      nextActionType
      tool {
        id
        name
        provider
      }
    }
    unavailable {
      reason
      detail
      tool {
        id
        name
      }
    }
  }
}
    `, {"hash":"sha256:e8a2d5f6f37308cfd45a13cfcadf28fea3ea3b6411b428d8ba9f48f1a5404cd7"}) as unknown as TypedDocumentString<CheckoutInContextQuery, CheckoutInContextQueryVariables>;
export const InitiatePaymentDocument = new TypedDocumentString(`
    mutation InitiatePayment($input: InitiatePaymentInput!) {
  initiatePayment(input: $input) {
    id
    status
  }
}
    `, {"hash":"sha256:e03b9628fd0ac69370017ba6cfcb7332720d64eedc839d4fe1cb8dea14363700"}) as unknown as TypedDocumentString<InitiatePaymentMutation, InitiatePaymentMutationVariables>;
export const MerchantChoicesDocument = new TypedDocumentString(`
    query MerchantChoices($platformId: ID!, $first: Int!) {
  merchants(platformId: $platformId, first: $first) {
    edges {
      node {
        id
        name
        city
      }
    }
  }
}
    `, {"hash":"sha256:2272e0a2e063943e2bd7a9f2ea1cb8d3eb8b4c07174a1a64be6e809ff26b8560"}) as unknown as TypedDocumentString<MerchantChoicesQuery, MerchantChoicesQueryVariables>;
export const InteropMapDocument = new TypedDocumentString(`
    query InteropMap {
  platforms {
    id
    name
    operator
    operatorGroup
    acceptedPaymentTools {
      tool {
        id
      }
      status
      since
      source
      requiresMerchantOptIn
      checkoutRank
      history {
        status
        date
        description
        source
      }
    }
    hosts {
      service {
        id
        name
      }
      since
      source
    }
  }
  paymentTools {
    id
    name
    provider
    interoperatesWith {
      id
    }
  }
}
    `, {"hash":"sha256:9468d5541de68a43a175a708a9f6bb0cd71942157667043eb6f2a5b662b1313d"}) as unknown as TypedDocumentString<InteropMapQuery, InteropMapQueryVariables>;
export const MerchantViewDocument = new TypedDocumentString(`
    query MerchantView($id: ID!, $payments: Int!) {
  merchant(id: $id) {
    id
    name
    city
    status
    eligible
    storefronts {
      platform {
        id
        name
      }
      enrolledTools {
        id
        name
      }
    }
    payments(first: $payments) {
      edges {
        node {
          id
          status
          reference
          createdAt
          amount {
            amountMinor
            currency
            formatted
          }
          refundedAmount {
            amountMinor
            formatted
          }
          platform {
            id
            name
          }
          tool {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
}
    `, {"hash":"sha256:6128753dba622f36fb75615fc5a68d554095814d0ec1e4d9418f0123323e93b5"}) as unknown as TypedDocumentString<MerchantViewQuery, MerchantViewQueryVariables>;
export const RefundPaymentDocument = new TypedDocumentString(`
    mutation RefundPayment($input: RefundPaymentInput!) {
  refundPayment(input: $input) {
    id
    status
    amount {
      formatted
    }
  }
}
    `, {"hash":"sha256:810fd6d76d63d30131e0fd5687be5d17bbe635dcf928506df7c6336de01510ec"}) as unknown as TypedDocumentString<RefundPaymentMutation, RefundPaymentMutationVariables>;
export const DemoWebhookEndpointsDocument = new TypedDocumentString(`
    query DemoWebhookEndpoints {
  webhookEndpoints {
    id
    url
    status
    disabledReason
  }
}
    `, {"hash":"sha256:6ec2cdd5c668053247bfcbaaa5a44d69236ef9c52848dfed3ef0870b4fd0f336"}) as unknown as TypedDocumentString<DemoWebhookEndpointsQuery, DemoWebhookEndpointsQueryVariables>;
export const DemoWebhookDeliveriesDocument = new TypedDocumentString(`
    query DemoWebhookDeliveries($endpointId: ID!, $first: Int!) {
  webhookDeliveries(endpointId: $endpointId, first: $first) {
    edges {
      node {
        id
        status
        nextAttemptAt
        event {
          id
          type
          paymentId
          paymentVersion
          createdAt
        }
        attempts {
          at
          statusCode
          durationMs
          error
        }
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    `, {"hash":"sha256:30e4326b75b10c7a6d30f18b9ea07146007dd410362ba196e795dece209e3915"}) as unknown as TypedDocumentString<DemoWebhookDeliveriesQuery, DemoWebhookDeliveriesQueryVariables>;
export const MerchantSearchDocument = new TypedDocumentString(`
    query MerchantSearch($platformId: ID, $acceptsToolId: ID, $nameContains: String, $first: Int, $after: String) {
  merchants(
    platformId: $platformId
    acceptsToolId: $acceptsToolId
    nameContains: $nameContains
    first: $first
    after: $after
  ) {
    totalCount
    edges {
      node {
        id
        name
        city
        category
        status
        storefronts {
          platform {
            id
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:ac3f6e97abf5286e0ad739fcf4c0af1ccf8b662456772a080a38da3edf6497e8"}) as unknown as TypedDocumentString<MerchantSearchQuery, MerchantSearchQueryVariables>;
export const PaymentUpdatesDocument = new TypedDocumentString(`
    subscription PaymentUpdates($id: ID!) {
  paymentUpdated(id: $id) {
    ...PaymentDetails
  }
}
    fragment PaymentDetails on Payment {
  id
  status
  reference
  channel
  createdAt
  updatedAt
  amount {
    amountMinor
    currency
    formatted
  }
  refundedAmount {
    amountMinor
    formatted
  }
  nextAction {
    type
    url
    qrCode
    expiresAt
  }
  platform {
    id
    name
  }
  merchant {
    id
    name
  }
  tool {
    id
    name
  }
  events {
    fromStatus
    toStatus
    at
    cause
  }
}`, {"hash":"sha256:83ee7d0ac6d5c979d159ee6e94321e006fc61dcf7e22cbef21fcfdaeba16bcb9"}) as unknown as TypedDocumentString<PaymentUpdatesSubscription, PaymentUpdatesSubscriptionVariables>;
export const FollowPaymentDocument = new TypedDocumentString(`
    query FollowPayment($id: ID!) {
  payment(id: $id) {
    ...PaymentDetails
  }
}
    fragment PaymentDetails on Payment {
  id
  status
  reference
  channel
  createdAt
  updatedAt
  amount {
    amountMinor
    currency
    formatted
  }
  refundedAmount {
    amountMinor
    formatted
  }
  nextAction {
    type
    url
    qrCode
    expiresAt
  }
  platform {
    id
    name
  }
  merchant {
    id
    name
  }
  tool {
    id
    name
  }
  events {
    fromStatus
    toStatus
    at
    cause
  }
}`, {"hash":"sha256:a4d3408d0e3e49a1094f5b5355a891322da1c3d96b87e6ce79cd23a80159d197"}) as unknown as TypedDocumentString<FollowPaymentQuery, FollowPaymentQueryVariables>;