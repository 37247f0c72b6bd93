/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Catalog {\n    platforms {\n      id\n      name\n    }\n    paymentTools {\n      id\n      name\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  query CheckoutInContext($platformId: ID!, $merchantId: ID!, $amount: MoneyInput!, $channel: Channel!) {\n    platform(id: $platformId) {\n      id\n      name\n    }\n    merchant(id: $merchantId) {\n      id\n      name\n      status\n    }\n    checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {\n      available {\n        rank\n        isDefault\n        nextActionType\n        tool {\n          id\n          name\n          provider\n        }\n      }\n      unavailable {\n        reason\n        detail\n        tool {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.CheckoutInContextDocument,
    "\n  mutation InitiatePayment($input: InitiatePaymentInput!) {\n    initiatePayment(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.InitiatePaymentDocument,
    "\n  query MerchantChoices($platformId: ID!, $first: Int!) {\n    merchants(platformId: $platformId, first: $first) {\n      edges {\n        node {\n          id\n          name\n          city\n        }\n      }\n    }\n  }\n": typeof types.MerchantChoicesDocument,
    "\n  query InteropMap {\n    platforms {\n      id\n      name\n      operator\n      operatorGroup\n      acceptedPaymentTools {\n        tool {\n          id\n        }\n        status\n        since\n        source\n        requiresMerchantOptIn\n        checkoutRank\n        history {\n          status\n          date\n          description\n          source\n        }\n      }\n      hosts {\n        service {\n          id\n          name\n        }\n        since\n        source\n      }\n    }\n    paymentTools {\n      id\n      name\n      provider\n      interoperatesWith {\n        id\n      }\n    }\n  }\n": typeof types.InteropMapDocument,
    "\n  query MerchantView($id: ID!, $payments: Int!) {\n    merchant(id: $id) {\n      id\n      name\n      city\n      status\n      eligible\n      storefronts {\n        platform {\n          id\n          name\n        }\n        enrolledTools {\n          id\n          name\n        }\n      }\n      payments(first: $payments) {\n        edges {\n          node {\n            id\n            status\n            reference\n            createdAt\n            amount {\n              amountMinor\n              currency\n              formatted\n            }\n            refundedAmount {\n              amountMinor\n              formatted\n            }\n            platform {\n              id\n              name\n            }\n            tool {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.MerchantViewDocument,
    "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      id\n      status\n      amount {\n        formatted\n      }\n    }\n  }\n": typeof types.RefundPaymentDocument,
    "\n  query DemoWebhookEndpoints {\n    webhookEndpoints {\n      id\n      url\n      status\n      disabledReason\n    }\n  }\n": typeof types.DemoWebhookEndpointsDocument,
    "\n  query DemoWebhookDeliveries($endpointId: ID!, $first: Int!) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      edges {\n        node {\n          id\n          status\n          nextAttemptAt\n          event {\n            id\n            type\n            paymentId\n            paymentVersion\n            createdAt\n          }\n          attempts {\n            at\n            statusCode\n            durationMs\n            error\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.DemoWebhookDeliveriesDocument,
    "\n  query MerchantSearch($platformId: ID, $acceptsToolId: ID, $nameContains: String, $first: Int, $after: String) {\n    merchants(platformId: $platformId, acceptsToolId: $acceptsToolId, nameContains: $nameContains, first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          city\n          category\n          status\n          storefronts {\n            platform {\n              id\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MerchantSearchDocument,
    "\n  subscription PaymentUpdates($id: ID!) {\n    paymentUpdated(id: $id) {\n      ...PaymentDetails\n    }\n  }\n": typeof types.PaymentUpdatesDocument,
    "\n  query FollowPayment($id: ID!) {\n    payment(id: $id) {\n      ...PaymentDetails\n    }\n  }\n": typeof types.FollowPaymentDocument,
    "\n  fragment PaymentDetails on Payment {\n    id\n    status\n    reference\n    channel\n    createdAt\n    updatedAt\n    amount {\n      amountMinor\n      currency\n      formatted\n    }\n    refundedAmount {\n      amountMinor\n      formatted\n    }\n    nextAction {\n      type\n      url\n      qrCode\n      expiresAt\n    }\n    platform {\n      id\n      name\n    }\n    merchant {\n      id\n      name\n    }\n    tool {\n      id\n      name\n    }\n    events {\n      fromStatus\n      toStatus\n      at\n      cause\n    }\n  }\n": typeof types.PaymentDetailsFragmentDoc,
};
const documents: Documents = {
    "\n  query Catalog {\n    platforms {\n      id\n      name\n    }\n    paymentTools {\n      id\n      name\n    }\n  }\n": types.CatalogDocument,
    "\n  query CheckoutInContext($platformId: ID!, $merchantId: ID!, $amount: MoneyInput!, $channel: Channel!) {\n    platform(id: $platformId) {\n      id\n      name\n    }\n    merchant(id: $merchantId) {\n      id\n      name\n      status\n    }\n    checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {\n      available {\n        rank\n        isDefault\n        nextActionType\n        tool {\n          id\n          name\n          provider\n        }\n      }\n      unavailable {\n        reason\n        detail\n        tool {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.CheckoutInContextDocument,
    "\n  mutation InitiatePayment($input: InitiatePaymentInput!) {\n    initiatePayment(input: $input) {\n      id\n      status\n    }\n  }\n": types.InitiatePaymentDocument,
    "\n  query MerchantChoices($platformId: ID!, $first: Int!) {\n    merchants(platformId: $platformId, first: $first) {\n      edges {\n        node {\n          id\n          name\n          city\n        }\n      }\n    }\n  }\n": types.MerchantChoicesDocument,
    "\n  query InteropMap {\n    platforms {\n      id\n      name\n      operator\n      operatorGroup\n      acceptedPaymentTools {\n        tool {\n          id\n        }\n        status\n        since\n        source\n        requiresMerchantOptIn\n        checkoutRank\n        history {\n          status\n          date\n          description\n          source\n        }\n      }\n      hosts {\n        service {\n          id\n          name\n        }\n        since\n        source\n      }\n    }\n    paymentTools {\n      id\n      name\n      provider\n      interoperatesWith {\n        id\n      }\n    }\n  }\n": types.InteropMapDocument,
    "\n  query MerchantView($id: ID!, $payments: Int!) {\n    merchant(id: $id) {\n      id\n      name\n      city\n      status\n      eligible\n      storefronts {\n        platform {\n          id\n          name\n        }\n        enrolledTools {\n          id\n          name\n        }\n      }\n      payments(first: $payments) {\n        edges {\n          node {\n            id\n            status\n            reference\n            createdAt\n            amount {\n              amountMinor\n              currency\n              formatted\n            }\n            refundedAmount {\n              amountMinor\n              formatted\n            }\n            platform {\n              id\n              name\n            }\n            tool {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.MerchantViewDocument,
    "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      id\n      status\n      amount {\n        formatted\n      }\n    }\n  }\n": types.RefundPaymentDocument,
    "\n  query DemoWebhookEndpoints {\n    webhookEndpoints {\n      id\n      url\n      status\n      disabledReason\n    }\n  }\n": types.DemoWebhookEndpointsDocument,
    "\n  query DemoWebhookDeliveries($endpointId: ID!, $first: Int!) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      edges {\n        node {\n          id\n          status\n          nextAttemptAt\n          event {\n            id\n            type\n            paymentId\n            paymentVersion\n            createdAt\n          }\n          attempts {\n            at\n            statusCode\n            durationMs\n            error\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.DemoWebhookDeliveriesDocument,
    "\n  query MerchantSearch($platformId: ID, $acceptsToolId: ID, $nameContains: String, $first: Int, $after: String) {\n    merchants(platformId: $platformId, acceptsToolId: $acceptsToolId, nameContains: $nameContains, first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          city\n          category\n          status\n          storefronts {\n            platform {\n              id\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MerchantSearchDocument,
    "\n  subscription PaymentUpdates($id: ID!) {\n    paymentUpdated(id: $id) {\n      ...PaymentDetails\n    }\n  }\n": types.PaymentUpdatesDocument,
    "\n  query FollowPayment($id: ID!) {\n    payment(id: $id) {\n      ...PaymentDetails\n    }\n  }\n": types.FollowPaymentDocument,
    "\n  fragment PaymentDetails on Payment {\n    id\n    status\n    reference\n    channel\n    createdAt\n    updatedAt\n    amount {\n      amountMinor\n      currency\n      formatted\n    }\n    refundedAmount {\n      amountMinor\n      formatted\n    }\n    nextAction {\n      type\n      url\n      qrCode\n      expiresAt\n    }\n    platform {\n      id\n      name\n    }\n    merchant {\n      id\n      name\n    }\n    tool {\n      id\n      name\n    }\n    events {\n      fromStatus\n      toStatus\n      at\n      cause\n    }\n  }\n": types.PaymentDetailsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog {\n    platforms {\n      id\n      name\n    }\n    paymentTools {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').CatalogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckoutInContext($platformId: ID!, $merchantId: ID!, $amount: MoneyInput!, $channel: Channel!) {\n    platform(id: $platformId) {\n      id\n      name\n    }\n    merchant(id: $merchantId) {\n      id\n      name\n      status\n    }\n    checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {\n      available {\n        rank\n        isDefault\n        nextActionType\n        tool {\n          id\n          name\n          provider\n        }\n      }\n      unavailable {\n        reason\n        detail\n        tool {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CheckoutInContextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InitiatePayment($input: InitiatePaymentInput!) {\n    initiatePayment(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').InitiatePaymentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantChoices($platformId: ID!, $first: Int!) {\n    merchants(platformId: $platformId, first: $first) {\n      edges {\n        node {\n          id\n          name\n          city\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MerchantChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InteropMap {\n    platforms {\n      id\n      name\n      operator\n      operatorGroup\n      acceptedPaymentTools {\n        tool {\n          id\n        }\n        status\n        since\n        source\n        requiresMerchantOptIn\n        checkoutRank\n        history {\n          status\n          date\n          description\n          source\n        }\n      }\n      hosts {\n        service {\n          id\n          name\n        }\n        since\n        source\n      }\n    }\n    paymentTools {\n      id\n      name\n      provider\n      interoperatesWith {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').InteropMapDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantView($id: ID!, $payments: Int!) {\n    merchant(id: $id) {\n      id\n      name\n      city\n      status\n      eligible\n      storefronts {\n        platform {\n          id\n          name\n        }\n        enrolledTools {\n          id\n          name\n        }\n      }\n      payments(first: $payments) {\n        edges {\n          node {\n            id\n            status\n            reference\n            createdAt\n            amount {\n              amountMinor\n              currency\n              formatted\n            }\n            refundedAmount {\n              amountMinor\n              formatted\n            }\n            platform {\n              id\n              name\n            }\n            tool {\n              id\n              name\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MerchantViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      id\n      status\n      amount {\n        formatted\n      }\n    }\n  }\n"): typeof import('./graphql').RefundPaymentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoWebhookEndpoints {\n    webhookEndpoints {\n      id\n      url\n      status\n      disabledReason\n    }\n  }\n"): typeof import('./graphql').DemoWebhookEndpointsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoWebhookDeliveries($endpointId: ID!, $first: Int!) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      edges {\n        node {\n          id\n          status\n          nextAttemptAt\n          event {\n            id\n            type\n            paymentId\n            paymentVersion\n            createdAt\n          }\n          attempts {\n            at\n            statusCode\n            durationMs\n            error\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): typeof import('./graphql').DemoWebhookDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantSearch($platformId: ID, $acceptsToolId: ID, $nameContains: String, $first: Int, $after: String) {\n    merchants(platformId: $platformId, acceptsToolId: $acceptsToolId, nameContains: $nameContains, first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          city\n          category\n          status\n          storefronts {\n            platform {\n              id\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').MerchantSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PaymentUpdates($id: ID!) {\n    paymentUpdated(id: $id) {\n      ...PaymentDetails\n    }\n  }\n"): typeof import('./graphql').PaymentUpdatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FollowPayment($id: ID!) {\n    payment(id: $id) {\n      ...PaymentDetails\n    }\n  }\n"): typeof import('./graphql').FollowPaymentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PaymentDetails on Payment {\n    id\n    status\n    reference\n    channel\n    createdAt\n    updatedAt\n    amount {\n      amountMinor\n      currency\n      formatted\n    }\n    refundedAmount {\n      amountMinor\n      formatted\n    }\n    nextAction {\n      type\n      url\n      qrCode\n      expiresAt\n    }\n    platform {\n      id\n      name\n    }\n    merchant {\n      id\n      name\n    }\n    tool {\n      id\n      name\n    }\n    events {\n      fromStatus\n      toStatus\n      at\n      cause\n    }\n  }\n"): typeof import('./graphql').PaymentDetailsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
