// @authenticated and @requiresScopes are linked into the supergraph `for:
// SECURITY`, which tells a gateway that cannot enforce them to refuse the
// schema, and @apollo/gateway cannot. In this graph they are enforced where the
// guarded fields are resolved: every subgraph checks them against the caller
// the gateway signs. So the gateway serves such a supergraph with those two
// links relabelled as plain features; any other security feature still refuses.
const SUBGRAPH_ENFORCED = ['https://specs.apollo.dev/authenticated/', 'https://specs.apollo.dev/requiresScopes/'];

const LINK = /@link\(url: "([^"]+)", for: SECURITY\)/g;

export function servableSupergraph(sdl: string): string {
  return sdl.replace(LINK, (link, url: string) => (SUBGRAPH_ENFORCED.some((prefix) => url.startsWith(prefix)) ? `@link(url: "${url}")` : link));
}
