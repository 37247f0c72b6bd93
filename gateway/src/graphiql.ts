// GraphiQL at /graphiql: a page of the demo's build (web/graphiql.html, its
// assets under /demo/assets), so it loads from this origin with no CDN. Its
// settings at /graphiql/config.json put the demo's key in the headers editor
// and the example operation in the query editor.
import { join } from 'node:path';
import { sendError, sendJson, type Route } from '@interop/kit/server';
import { GatewayErrorCode } from './__generated__/error-codes';
import { isFile, sendFile, type DemoOptions } from './demo';
import { DEFAULT_DEMO_API_KEY } from './defaults';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from './example-operation';

export const GRAPHIQL_PATH = '/graphiql';

// As the demo's policy, but CodeMirror positions and sizes its editors with inline style attributes, and GraphiQL's
// stylesheet carries its fonts and icons as data: URLs.
const GRAPHIQL_POLICY =
  "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function graphiqlRoute(options: DemoOptions): Route {
  const page = join(options.distDir, 'graphiql.html');
  const config = { apiKey: options.apiKey ?? DEFAULT_DEMO_API_KEY, query: EXAMPLE_OPERATION, variables: EXAMPLE_VARIABLES };
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, GatewayErrorCode.BAD_REQUEST, 'GraphiQL answers GET and HEAD only.');
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === `${GRAPHIQL_PATH}/config.json`) {
      res.setHeader('cache-control', 'no-store');
      return sendJson(res, 200, config);
    }
    if (pathname !== GRAPHIQL_PATH && pathname !== `${GRAPHIQL_PATH}/`) return sendError(res, 404, GatewayErrorCode.BAD_REQUEST, 'Nothing is served at this path.');
    if (await isFile(page)) return sendFile(req, res, page, 'graphiql.html', GRAPHIQL_POLICY);
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('GraphiQL is not built. `npm start` builds it with the demo, or run `npm run build:demo`.\n');
  };
}
