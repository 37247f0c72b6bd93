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

/**
 * A named fragment on an entity type of a peer, as its owner's schema allows
 * it: `npm run codegen` validates each against that schema and generates its
 * result type, which `TEntity` is.
 */
export interface EntityFragment<TEntity> {
  readonly name: string;
  readonly typename: string;
  readonly text: string;
  /** Only carries `TEntity` to `entities`; never set. */
  readonly entity?: TEntity;
}

type EntityOf<F> = F extends EntityFragment<infer TEntity> ? TEntity : never;

/** `text` is one `fragment Name on Type { ... }`, typed by the codegen type of that name. */
export function entityFragment<TEntity>(text: string): EntityFragment<TEntity> {
  const head = /^\s*fragment\s+(\w+)\s+on\s+(\w+)\s*\{/.exec(text);
  if (!head) throw new Error(`Not a fragment on an entity type: ${text.slice(0, 60)}`);
  return { name: head[1]!, typename: head[2]!, text: text.trim() };
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
   * Resolves entities the way the gateway would, through `_entities`, each
   * representation with whichever of `fragments` is on its type. The fragments
   * may use `variables`, declared here with their GraphQL types. Nulls (unknown
   * entities) are kept, in the representations' order.
   */
  async entities<F extends EntityFragment<unknown>>(
    fragments: F | readonly F[],
    representations: readonly EntityRepresentation[],
    variables: Readonly<Record<string, { type: string; value: unknown }>> = {},
  ): Promise<(EntityOf<F> | null)[]> {
    if (representations.length === 0) return [];
    const all: readonly F[] = Array.isArray(fragments) ? fragments : [fragments as F];
    const declarations = Object.entries(variables).map(([name, { type }]) => `, $${name}: ${type}`).join('');
    const values = Object.fromEntries(Object.entries(variables).map(([name, { value }]) => [name, value]));
    const spreads = all.map((fragment) => `...${fragment.name}`).join(' ');
    const data = await this.request<{ _entities: (EntityOf<F> | null)[] }>(
      `query($representations: [_Any!]!${declarations}) { _entities(representations: $representations) { ${spreads} } }\n${all.map((fragment) => fragment.text).join('\n')}`,
      { ...values, representations },
    );
    return data._entities;
  }
}
