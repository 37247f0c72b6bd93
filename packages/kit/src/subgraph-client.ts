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
    let payload: { data?: TData | null; errors?: unknown[] };
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
      if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
      payload = JSON.parse(response.text) as typeof payload;
    } catch (error) {
      throw dependencyUnavailable(this.options.name, error);
    }
    if (payload.errors?.length || !payload.data) {
      throw dependencyUnavailable(this.options.name, new Error(JSON.stringify(payload.errors)));
    }
    return payload.data;
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
    if (representations.length === 0) return [];
    const declarations = Object.entries(variables).map(([name, { type }]) => `, $${name}: ${type}`).join('');
    const values = Object.fromEntries(Object.entries(variables).map(([name, { value }]) => [name, value]));
    const data = await this.request<{ _entities: (TEntity | null)[] }>(
      `query($representations: [_Any!]!${declarations}) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`,
      { ...values, representations },
    );
    return data._entities;
  }
}
