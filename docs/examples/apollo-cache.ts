import { ApolloClient, HttpLink, InMemoryCache, type TypePolicies } from '@apollo/client';

/**
 * How Apollo Client's cache stores the graph's objects. Platform, PaymentTool,
 * Merchant, Storefront, Payment and Refund have an `id` and are normalized by
 * it: select `id` wherever you select one of them. Every other object is a
 * value with no identity, kept inside the object or list that holds it.
 */
export const typePolicies: TypePolicies = {
  // Values that one object holds in one field (a payment's amount, a tool's limits, a checkout,
  // a page of merchants): what different operations select of them is merged, as for the object itself.
  Money: { keyFields: false, merge: true },
  NextAction: { keyFields: false, merge: true },
  PaymentLimits: { keyFields: false, merge: true },
  Checkout: { keyFields: false, merge: true },
  MerchantConnection: { keyFields: false, merge: true },
  PaymentConnection: { keyFields: false, merge: true },
  PageInfo: { keyFields: false, merge: true },
  // Items of lists: each answer's list replaces the cached one whole.
  PlatformAcceptance: { keyFields: false },
  AcceptanceEvent: { keyFields: false },
  PlatformListing: { keyFields: false },
  ToolChannel: { keyFields: false },
  PaymentOption: { keyFields: false },
  UnavailableOption: { keyFields: false },
  Enrolment: { keyFields: false },
  EnrolmentEvent: { keyFields: false },
  PaymentEvent: { keyFields: false },
  MerchantEdge: { keyFields: false },
  PaymentEdge: { keyFields: false },
  // Lists that get shorter when a merchant closes a tool: the newest answer is the whole list.
  Storefront: { fields: { enrolledTools: { merge: false }, paymentOptions: { merge: false } } },
  Query: { fields: { checkoutOptions: { merge: false } } },
};

/** A client for the graph at `uri` (e.g. http://localhost:4000/graphql), sending `headers` (a credential) with each operation. */
export function graphClient(uri: string, headers: Record<string, string> = {}): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri, headers }), cache: new InMemoryCache({ typePolicies }) });
}
