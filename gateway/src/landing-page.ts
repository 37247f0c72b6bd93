// The page at `/`: Apollo Sandbox, as Apollo's local landing page embeds it,
// with links to the demo at /demo/, GraphiQL at /graphiql and the guides at
// /docs/ (served from this origin, so they work offline and behind firewalls
// that block Apollo's CDN). Where Sandbox cannot load, the page says so and
// says where else to go instead of staying blank.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, type ApolloServerPluginLandingPageLocalDefaultOptions } from '@apollo/server/plugin/landingPage/default';

const SANDBOX_FALLBACK = /<div class="fallback">[\s\S]*?<\/div>/;

/** What this gateway serves beside the graph: the demo (and GraphiQL with it), and the guides. */
export interface Served {
  demo: boolean;
  docs: boolean;
}

/** Apollo's local landing page with links to what the gateway serves. */
export function landingPagePlugin(options: ApolloServerPluginLandingPageLocalDefaultOptions, served: Served): ApolloServerPlugin<BaseContext> {
  const apollo = ApolloServerPluginLandingPageLocalDefault(options);
  return {
    async serverWillStart(service) {
      const listener = await apollo.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const html = page.html;
          return { html: typeof html === 'string' ? withLinks(html, served) : async () => withLinks(await html(), served) };
        },
      };
    },
  };
}

function withLinks(html: string, served: Served): string {
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1] ?? '';
  const pages = [
    ...(served.demo ? [['/graphiql', 'GraphiQL'], ['/demo/', 'Demo']] : []),
    ...(served.docs ? [['/docs/', 'Guides']] : []),
  ];
  const links = served.demo
    ? 'Send GraphQL to <code>/graphql</code> with any client, explore it in <a href="/graphiql">GraphiQL</a>, or try <a href="/demo/">the demo</a>, all served by this gateway.'
    : 'Send GraphQL to <code>/graphql</code> with any client; <code>npm start</code> also serves GraphiQL at <code>/graphiql</code> and the demo at <code>/demo/</code>.';
  const guides = served.docs ? 'The <a href="/docs/">guides</a> say how to use and run it.' : "The guides are in the repository's <code>docs/</code> folder.";
  const fallback = `<div class="fallback" id="interop-fallback">
  <h1>Interop Graph</h1>
  <p>Apollo Sandbox cannot be loaded: this browser is offline, or Apollo's CDN is blocked.</p>
  <p>${links} ${guides}</p>
</div>`;
  const bar = pages.length > 0 ? `<nav id="interop-links">${pages.map(([href, label]) => `<a href="${href}">${label}</a>`).join('')}</nav>` : '';
  // Sandbox's empty container covers the page until Sandbox fills it: where it never loads, the links must stay clickable.
  const style = `<style nonce="${nonce}">
  #embeddableSandbox:empty { display: none; }
  #interop-links { position: fixed; right: 12px; bottom: 12px; z-index: 10; font: 13px system-ui, sans-serif; }
  #interop-links a { margin-left: 8px; padding: 4px 10px; border-radius: 12px; background: #1f2937; color: #fff; text-decoration: none; }
</style>`;
  return html.replace(SANDBOX_FALLBACK, fallback).replace('</body>', `${bar}\n${style}\n</body>`);
}
