// The operations the SDK sends. `npm run codegen` types their results and
// variables into __generated__/operations.ts from supergraph.graphql, so a
// field that leaves the schema fails the type check. Each is answered by one
// subgraph (commerce for acceptance, payments for the rest): a field from
// another would make a payment call fail whenever that other one is slow.

export const PLATFORM_ACCEPTANCE = /* GraphQL */ `
  query SdkPlatformAcceptance($platformId: ID!) {
    platform(id: $platformId) {
      id
      name
      operator
      acceptedPaymentTools {
        tool {
          id
        }
        status
        since
        requiresMerchantOptIn
        checkoutRank
        source
      }
    }
  }
`;

export const CHECKOUT = /* GraphQL */ `
  query SdkCheckout($platformId: ID!, $merchantId: ID!, $amount: MoneyInput, $channel: Channel) {
    checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {
      available {
        rank
        isDefault
        nextActionType
        tool {
          id
          name
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
`;

const PAYMENT_FIELDS = /* GraphQL */ `
  fragment SdkPaymentFields on Payment {
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
      currency
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
    }
    merchant {
      id
    }
    tool {
      id
      name
    }
    refunds {
      id
      status
      reason
      createdAt
      amount {
        amountMinor
        currency
        formatted
      }
    }
    events {
      fromStatus
      toStatus
      at
      cause
    }
  }
`;

export const PAYMENT = /* GraphQL */ `
  query SdkPayment($id: ID!) {
    payment(id: $id) {
      ...SdkPaymentFields
    }
  }
  ${PAYMENT_FIELDS}
`;

export const INITIATE_PAYMENT = /* GraphQL */ `
  mutation SdkInitiatePayment($input: InitiatePaymentInput!) {
    initiatePayment(input: $input) {
      ...SdkPaymentFields
    }
  }
  ${PAYMENT_FIELDS}
`;

export const CANCEL_PAYMENT = /* GraphQL */ `
  mutation SdkCancelPayment($id: ID!, $idempotencyKey: String!) {
    cancelPayment(id: $id, idempotencyKey: $idempotencyKey) {
      ...SdkPaymentFields
    }
  }
  ${PAYMENT_FIELDS}
`;

export const REFUND_PAYMENT = /* GraphQL */ `
  mutation SdkRefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      status
      reason
      createdAt
      amount {
        amountMinor
        currency
        formatted
      }
      payment {
        ...SdkPaymentFields
      }
    }
  }
  ${PAYMENT_FIELDS}
`;

// The payment now, then again at each change of its status (see followPayment).
export const PAYMENT_UPDATED = /* GraphQL */ `
  subscription SdkPaymentUpdated($id: ID!) {
    paymentUpdated(id: $id) {
      ...SdkPaymentFields
    }
  }
  ${PAYMENT_FIELDS}
`;
