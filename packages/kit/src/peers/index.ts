// `@interop/kit/peers`: facts a subgraph reads from the peers that own them,
// held in memory while the owners' fact events are heard (HeldFacts) or asked
// of them per request (askedFacts), with the buses to hear them on and the
// metrics that show how reads were answered.
export { askedFacts, entitiesById, type EntityListing, type FactsPage, type FactsReader, type FactsSource, fetchEachOnce, HeldFacts, type HeldFactsCounts, type HeldFactsOptions, listedEntities } from './held-facts';
export { ownerFactBuses, type OwnerBuses, type PeerUrl } from './owner-buses';
export { heldFactsReport, type HeldFactsReport, registerHeldFactsMetrics } from './metrics';
