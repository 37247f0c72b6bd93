// The guides at /docs/: the repository's docs/*.md rendered as pages (with
// markdown-it), so the landing page can point to them where Apollo's CDN is
// out of reach. Only the folder's own top-level .md files are served; links
// between them work as they do on disk.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import { sendError, type Route } from '@interop/kit/server';
import { GatewayErrorCode } from './__generated__/error-codes';

export const DOCS_PATH = '/docs';

const NAME = /^[a-z0-9][a-z0-9-]*\.md$/;
// The guides are ours, but a page that runs nothing needs no script: none is allowed.
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";
const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}pre{overflow:auto;background:#f4f4f5;padding:.75rem}code{font-size:.9em}table{border-collapse:collapse}td,th{border:1px solid #d4d4d8;padding:.25rem .5rem}';

export function docsRoute(dir: string): Route {
  const root = resolve(dir);
  const markdown = new MarkdownIt({ html: false, linkify: true });
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, GatewayErrorCode.BAD_REQUEST, 'The guides answer GET and HEAD only.');
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === DOCS_PATH) {
      res.writeHead(308, { location: `${DOCS_PATH}/` });
      return void res.end();
    }
    const name = pathname === `${DOCS_PATH}/` ? 'README.md' : pathname.slice(DOCS_PATH.length + 1);
    if (!NAME.test(name) && name !== 'README.md') return sendError(res, 404, GatewayErrorCode.BAD_REQUEST, 'Nothing is served at this path.');
    let text: string;
    try {
      text = await readFile(join(root, name), 'utf8');
    } catch {
      return sendError(res, 404, GatewayErrorCode.BAD_REQUEST, 'Nothing is served at this path.');
    }
    const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? name;
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${markdown.utils.escapeHtml(title)}</title><style>${STYLE}</style></head><body>${markdown.render(text)}</body></html>`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(page),
      'content-security-policy': PAGE_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : page);
  };
}
