// The response cache hears fact changes from every subgraph that declares
// @factsAnnounced, with no shared bus: the gateway follows each declared
// subgraph's signed stream at the path it declares, whatever the subgraph is
// called. Here two small subgraphs named like none of this graph's announce
// the way the graph's own do (kit's fact announcer on their own event bus); a
// change from either reaches the cache of the real gateway, and so does a gap
// on either stream.
import type { ServerResponse } from 'node:http';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { createLogger } from '@interop/kit';
import { eventStreamRoute, factAnnouncer, LocalEventBus, type EventStreamRoute, type FactAnnouncer } from '@interop/kit/events';
import type { Route } from '@interop/kit/server';
import { DEFAULT_RESPONSE_CACHE, type RunningGateway } from '@interop/gateway';
import { startFederation, type Federation } from '@interop/testing/federation-fixture';
import { postGraphQL } from '@interop/testing/harness';
import { TEST_TRUST } from '@interop/testing/identities';
import { eventually, expectEventually } from '@interop/testing/processes';

/** A subgraph's fact announcements, served on its own signed stream; `cut` ends every reader's stream, as a restart would. */
class FactOutlet {
  private readonly bus = new LocalEventBus();
  private readonly logger = createLogger('fact-outlet');
  private current: EventStreamRoute;
  private readonly announcer: FactAnnouncer;
  private readonly open = new Set<ServerResponse>();

  constructor(
    subgraph: string,
    private readonly path: string,
  ) {
    this.current = this.serve();
    this.announcer = factAnnouncer(subgraph, [this.bus], this.logger);
  }

  readonly route: Route = (req, res) => {
    this.current.route(req, res);
    if (res.statusCode !== 200) return;
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
  };

  /** How many gateways read the stream now. */
  get readers(): number {
    return this.open.size;
  }

  announce(): void {
    this.announcer.announce();
  }

  cut(): void {
    const old = this.current;
    this.current = this.serve();
    old.close();
  }

  close(): void {
    this.announcer.stop();
    this.current.close();
  }

  private serve(): EventStreamRoute {
    return eventStreamRoute({ bus: this.bus, path: this.path, secret: TEST_TRUST.signingSecret, logger: this.logger });
  }
}

/** A subgraph holding one public, cacheable value that changes behind the gateway's back, and declaring that it announces its changes. */
function announcingSubgraph(name: string, type: string, field: string, stream: string, value: { current: string }) {
  const outlet = new FactOutlet(name, stream);
  const typeDefs = /* GraphQL */ `
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@composeDirective"])
      @link(url: "https://interop-graph.dev/facts/v0.1", import: ["@factsAnnounced"])
      @composeDirective(name: "@factsAnnounced")
    directive @factsAnnounced(stream: String!) on OBJECT | INTERFACE | FIELD_DEFINITION
    directive @cacheControl(maxAge: Int, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
    type Query { ${field}: ${type}! }
    type ${type} @cacheControl(maxAge: 300) @factsAnnounced(stream: "${stream}") { text: String! }
  `;
  const resolvers: GraphQLResolverMap<unknown> = { Query: { [field]: () => ({ text: value.current }) } };
  return { spec: { name, typeDefs, resolvers, routes: { [stream]: outlet.route } }, outlet };
}

const bulletin = { current: 'calm' };
const forecast = { current: 'sunny' };
const bulletins = announcingSubgraph('bulletins', 'Bulletin', 'bulletin', '/events/facts', bulletin);
const weather = announcingSubgraph('weather', 'Forecast', 'forecast', '/weather/changes', forecast);
let federation: Federation;

beforeAll(async () => {
  // No Redis and no PostgreSQL: each subgraph's own stream is the only way a change travels.
  federation = await startFederation([bulletins.spec, weather.spec], { responseCache: DEFAULT_RESPONSE_CACHE, factEvents: {} });
  await eventually(() => bulletins.outlet.readers === 1 && weather.outlet.readers === 1);
});

afterAll(async () => {
  bulletins.outlet.close();
  weather.outlet.close();
  await federation?.stop();
});

const BOTH = /* GraphQL */ `query Both { bulletin { text } forecast { text } }`;

/** What the gateway answers an anonymous caller, from its cache once it was asked twice. */
async function both(gateway: RunningGateway) {
  const answer = await postGraphQL<{ bulletin: { text: string }; forecast: { text: string } }>(gateway.url, BOTH);
  expect(answer.errors).toBeUndefined();
  return { bulletin: answer.data?.bulletin.text, forecast: answer.data?.forecast.text };
}

async function hits(gateway: RunningGateway): Promise<number> {
  const { values } = await gateway.metrics.responseCache.get();
  return values.find((value) => value.labels.result === 'hit')?.value ?? 0;
}

/** Asks until the answer is cached, then changes both values behind the gateway's back: the cache still answers the old ones. */
async function cachedThenChanged(gateway: RunningGateway, next: { bulletin: string; forecast: string }) {
  const before = await both(gateway);
  await both(gateway);
  const hitsBefore = await hits(gateway);
  bulletin.current = next.bulletin;
  forecast.current = next.forecast;
  expect(await both(gateway)).toEqual(before);
  expect(await hits(gateway)).toBe(hitsBefore + 1);
  return before;
}

test.each([
  ['bulletins', () => bulletins.outlet],
  ['weather', () => weather.outlet],
])('a change %s announces on the stream it declares reaches the cache: the next identical request sees it', async (_name, outlet) => {
  const gateway = federation.gateway;
  const next = { bulletin: `bulletin ${Math.random()}`, forecast: `forecast ${Math.random()}` };
  await cachedThenChanged(gateway, next);
  outlet().announce();
  await expectEventually(() => both(gateway), next);
});

test.each([
  ['bulletins', () => bulletins.outlet],
  ['weather', () => weather.outlet],
])('a gap on the stream of %s (changes may have been missed) empties the cache', async (_name, outlet) => {
  const gateway = federation.gateway;
  const next = { bulletin: `bulletin ${Math.random()}`, forecast: `forecast ${Math.random()}` };
  await cachedThenChanged(gateway, next);
  outlet().cut();
  await expectEventually(() => both(gateway), next);
  await eventually(() => outlet().readers === 1);
});


