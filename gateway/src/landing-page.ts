// The page at `/`: Apollo Sandbox, as Apollo's local landing page embeds it,
// with links to the demo at /demo/ and GraphiQL at /graphiql (served from this origin, so it works
// offline and behind firewalls that block Apollo's CDN). Where Sandbox cannot
// load, the page says so and says where else to go instead of staying blank.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, type ApolloServerPluginLandingPageLocalDefaultOptions } from '@apollo/server/plugin/landingPage/default';

const SANDBOX_FALLBACK = /<div class="fallback">[\s\S]*?<\/div>/;

/** Apollo's local landing page with the gateway's links; `demo` is false when the demo is not served. */
export function landingPagePlugin(options: ApolloServerPluginLandingPageLocalDefaultOptions, demo: boolean): ApolloServerPlugin<BaseContext> {
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
          return { html: typeof html === 'string' ? withLinks(html, demo) : async () => withLinks(await html(), demo) };
        },
      };
    },
  };
}

function withLinks(html: string, demo: boolean): string {
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1] ?? '';
  const links = demo
    ? 'Send GraphQL to <code>/graphql</code> with any client, explore it in <a href="/graphiql">GraphiQL</a>, or try <a href="/demo/">the demo</a>, all served by this gateway.'
    : 'Send GraphQL to <code>/graphql</code> with any client; <code>npm start</code> also serves GraphiQL at <code>/graphiql</code> and the demo at <code>/demo/</code>.';
  const fallback = `<div class="fallback" id="interop-fallback">
  <h1>Interop Graph</h1>
  <p>Apollo Sandbox cannot be loaded: this browser is offline, or Apollo's CDN is blocked.</p>
  <p>${links} The guides are in the repository's <code>docs/</code> folder.</p>
</div>`;
  const bar = demo
    ? `<nav id="interop-links"><a href="/graphiql">GraphiQL</a><a href="/demo/">Demo</a></nav>
<style nonce="${nonce}">
  #interop-links { position: fixed; right: 12px; bottom: 12px; z-index: 10; font: 13px system-ui, sans-serif; }
  #interop-links a { margin-left: 8px; padding: 4px 10px; border-radius: 12px; background: #1f2937; color: #fff; text-decoration: none; }
</style>`
    : '';
  return html.replace(SANDBOX_FALLBACK, fallback).replace('</body>', `${bar}\n</body>`);
}
