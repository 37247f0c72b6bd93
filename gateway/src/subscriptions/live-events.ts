// Where the gateway hears of live entities' changes (see live-fields): one
// followed bus per declared channel (Redis, PostgreSQL, or the owning
// subgraph's own signed stream; see followed-bus), subscribed to when the
// first subscriber arrives, fanned out here by entity id.
import { z } from 'zod';
import type { Logger } from '@interop/kit';
import { openFollowedBus, type EventBus, type FollowedBusConfig } from '@interop/kit/events';
import type { LiveField } from './live-fields';

/** The bus the owners announce on, as they are configured; `channels` renames declared channels (tests give each graph its own). */
export type LiveEventsConfig = Omit<FollowedBusConfig, 'channel'> & { channels?: Readonly<Record<string, string>> };

/** A change of one followed entity: its version counts its changes so far. */
export interface EntityChanged {
  entityId: string;
  version: number;
}

/** A change of the followed entity, or null when changes may have been missed and the entity must be re-read. */
export type EntityEventListener = (event: EntityChanged | null) => void;

export interface LiveEventsSource {
  /** A subgraph's routing URL, once the supergraph is loaded. */
  subgraphUrl: (subgraph: string) => string | undefined;
  /** Signs reads of the owners' event streams; shared with them. */
  secret: string;
}

const resync = z.object({ resync: z.literal(true) });
const version = z.number().int().positive();

/** The change a message announces, `'resync'` when followers may have missed some, or null for text that is neither (ignored, never trusted). */
export function decodeEntityEvent(text: string, eventKey: string): EntityChanged | 'resync' | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (resync.safeParse(value).success) return 'resync';
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)[eventKey];
  const announced = version.safeParse((value as Record<string, unknown>)['version']);
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !announced.success) return null;
  return { entityId: id, version: announced.data };
}

/** The changes of every entity announced on one channel. */
class ChannelFollowers {
  private readonly followers = new Map<string, Set<EntityEventListener>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly eventKey: string,
    private readonly logger?: Logger,
  ) {}

  follow(entityId: string, listener: EntityEventListener): () => void {
    this.subscribe();
    let listeners = this.followers.get(entityId);
    if (!listeners) {
      listeners = new Set();
      this.followers.set(entityId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.followers.get(entityId) === listeners) this.followers.delete(entityId);
    };
  }

  ready(timeoutMs: number): Promise<boolean> {
    this.subscribe();
    return this.bus.ready(timeoutMs);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.followers.clear();
    await this.bus.close();
  }

  private subscribe(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.bus.subscribe({
      message: (text) => {
        const event = decodeEntityEvent(text, this.eventKey);
        if (event === null) this.logger?.warn({ eventKey: this.eventKey }, 'live event ignored: not a change announcement');
        else if (event === 'resync') this.everyone();
        else for (const listener of [...(this.followers.get(event.entityId) ?? [])]) listener(event);
      },
      gap: () => this.everyone(),
    });
  }

  private everyone(): void {
    for (const listeners of [...this.followers.values()]) for (const listener of [...listeners]) listener(null);
  }
}

/** Every live field's changes, one bus per channel, opened on first use. */
export class LiveEvents {
  private readonly channels = new Map<string, ChannelFollowers>();

  constructor(
    private readonly config: LiveEventsConfig,
    private readonly source: LiveEventsSource,
    private readonly logger?: Logger,
  ) {}

  /** Calls `listener` for every change of the entity `entityId` of `live` from now on; returns the function that stops it. */
  follow(live: LiveField, entityId: string, listener: EntityEventListener): () => void {
    return this.channel(live).follow(entityId, listener);
  }

  /** True once changes of `live` published from now on will be heard. */
  ready(live: LiveField, timeoutMs: number): Promise<boolean> {
    return this.channel(live).ready(timeoutMs);
  }

  async close(): Promise<void> {
    const open = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(open.map((channel) => channel.close()));
  }

  private channel(live: LiveField): ChannelFollowers {
    const key = `${live.subgraph}\n${live.channel}\n${live.stream}\n${live.eventKey}`;
    let channel = this.channels.get(key);
    if (!channel) {
      const { channels, ...bus } = this.config;
      const followed = openFollowedBus(
        { ...bus, channel: channels?.[live.channel] ?? live.channel },
        live.channel,
        { subgraphUrl: () => this.source.subgraphUrl(live.subgraph), path: live.stream, secret: this.source.secret },
        this.logger,
      );
      channel = new ChannelFollowers(followed, live.eventKey, this.logger);
      this.channels.set(key, channel);
    }
    return channel;
  }
}
