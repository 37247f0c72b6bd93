export { type Lookup, ResponseCache } from './response-cache';
export { invalidateOnFactChanges, type FactChanges } from './fact-changes';
export { factStreamsOf, type FactStream } from './fact-streams';
