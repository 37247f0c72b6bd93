// `@interop/kit/events`: carrying events between processes: the buses
// (in-process, Redis, PostgreSQL), a process's own event stream and its
// followers, and the fact-change contract every subgraph announces with.
export { type BusListener, type EventBus, Fanout } from './event-bus';
export { LocalEventBus } from './local-event-bus';
export { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus';
export { PostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus';
export { openSharedEventBus, type SharedEventBusConfig, sharedEventBusKind, type SharedEventBusKind } from './open-event-bus';
export { DEFAULT_EVENT_STREAM_HEARTBEAT_MS, eventStreamRoute, type EventStreamRoute, type EventStreamRouteOptions, eventStreamSignature, signedStreamRequest } from './event-stream-route';
export { EventStreamClient, type EventStreamClientOptions } from './event-stream-client';
export { followSubgraphStream, openFollowedBus, type FollowedBusConfig, type SubgraphStream } from './followed-bus';
export { decodeFactsChanged, encodeFactsChanged, FACT_EVENTS_CHANNEL, FACT_EVENTS_PATH, type ChangedEntity, type FactsChanged, newFactsChanged } from './fact-event';
export { FACTS_CHANGED_EXTENSION, factsChangedIn, factsChangedInAnswer, noteFactsChanged } from './facts-in-answer';
export { factAnnouncer, type FactAnnouncer, factOutlet, type FactOutletOptions } from './fact-announcer';
export { announcer, type Announcer, type AnnouncerOptions } from './announcer';
export { eventOutlet, type EventOutlet, type EventOutletOptions } from './event-outlet';
export { Backoff, pause } from './backoff';
