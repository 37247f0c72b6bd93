export { DEFAULT_RESPONSE_CACHE, type Lookup, ResponseCache, type ResponseCacheSettings } from './response-cache';
export { invalidateOnFactChanges, type FactChanges } from './fact-changes';
export { factStreamsOf, type FactStream } from './fact-streams';
