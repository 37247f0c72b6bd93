// How one subgraph asks another for facts it owns: GraphQL over HTTP with a
// timeout. Any failure (refused, slow, non-200, GraphQL errors) becomes
// DEPENDENCY_UNAVAILABLE, so callers fail closed instead of guessing.
import { dependencyUnavailable } from './errors';
import { httpRequest } from './http-request';
import { IDENTITY_HEADER, serviceCaller, signIdentity } from './identity';

export interface SubgraphClientOptions {
  /** The owning subgraph's name: the audience its requests are signed for, and shown to clients in `extensions.dependency`. */
  name: string;
  /** The peer's GraphQL endpoint, or a function giving it when it is known only after start (tests on port 0). */
  url: string | (() => string);
  timeoutMs: number;
  /** The asking subgraph: it signs its requests as itself (public facts only) with the shared secret. */
  from: { name: string; signingSecret: string };
}

export interface EntityRepresentation {
  __typename: string;
  [key: string]: unknown;
}

export class SubgraphClient {
  constructor(private readonly options: SubgraphClientOptions) {}

  get name(): string {
    return this.options.name;
  }

  async request<TData>(query: string, variables: Record<string, unknown> = {}): Promise<TData> {
    return (await this.ask<TData>(query, variables)).data;
  }

  /**
   * The data, and how long the owner says it stays true: the `max-age` of
   * its Cache-Control header (its schema's cache hints), 0 without one.
   */
  async ask<TData>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: TData; maxAgeSeconds: number }> {
    let payload: { data?: TData | null; errors?: unknown[] };
    let cacheControl: string | undefined;
    try {
      const url = typeof this.options.url === 'string' ? this.options.url : this.options.url();
      const body = JSON.stringify({ query, variables });
      const identity = signIdentity(this.options.from.signingSecret, serviceCaller(this.options.from.name), this.options.name, body);
      const response = await httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
        body,
        timeoutMs: this.options.timeoutMs,
      });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      payload = JSON.parse(response.text) as typeof payload;
      cacheControl = response.headers['cache-control'];
    } catch (error) {
      throw dependencyUnavailable(this.options.name, error);
    }
    if (payload.errors?.length || !payload.data) {
      throw dependencyUnavailable(this.options.name, new Error(JSON.stringify(payload.errors)));
    }
    return { data: payload.data, maxAgeSeconds: maxAgeOf(cacheControl) };
  }

  /**
   * Resolves entities the way the gateway would, through `_entities`. `selection`
   * is the inline fragment body for `typename` and may use `variables`
   * (name -> GraphQL type and value); unknown keys come back as null.
   */
  async entities<TEntity>(
    typename: string,
    representations: readonly EntityRepresentation[],
    selection: string,
    variables: Readonly<Record<string, { type: string; value: unknown }>> = {},
  ): Promise<(TEntity | null)[]> {
    return (await this.entitiesWithMaxAge<TEntity>(typename, representations, selection, variables)).entities;
  }

  /** `entities`, with how long the owner says they stay true (see `ask`). */
  async entitiesWithMaxAge<TEntity>(
    typename: string,
    representations: readonly EntityRepresentation[],
    selection: string,
    variables: Readonly<Record<string, { type: string; value: unknown }>> = {},
  ): Promise<{ entities: (TEntity | null)[]; maxAgeSeconds: number }> {
    if (representations.length === 0) return { entities: [], maxAgeSeconds: 0 };
    const declarations = Object.entries(variables).map(([name, { type }]) => `, $${name}: ${type}`).join('');
    const values = Object.fromEntries(Object.entries(variables).map(([name, { value }]) => [name, value]));
    const { data, maxAgeSeconds } = await this.ask<{ _entities: (TEntity | null)[] }>(
      `query($representations: [_Any!]!${declarations}) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`,
      { ...values, representations },
    );
    return { entities: data._entities, maxAgeSeconds };
  }
}

/** The `max-age` of a Cache-Control header; 0 when there is none or the answer must not be stored. */
export function maxAgeOf(cacheControl: string | undefined): number {
  if (!cacheControl || /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(cacheControl);
  return match?.[1] ? Number(match[1]) : 0;
}
