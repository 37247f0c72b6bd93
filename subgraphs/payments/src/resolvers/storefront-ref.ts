// The parent of Storefront's resolvers: a storefront as the gateway hands it
// over, its key plus the facts `paymentOptions` @requires. Derived from the
// generated reference types, so it follows the schema; it lives with the
// resolvers, never in the store, which stays below them.
import type { FederationReferenceTypes } from '../__generated__/resolvers';

export type StorefrontRef = FederationReferenceTypes['Storefront'];
