// The demo web app at /demo: the built files of web/ (vite build), its
// settings at /demo/config.json, and index.html for any other page path so a
// reload or a shared link to /demo/checkout lands in the app.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { acceptedEncoding, sendError, sendJson, type ContentEncoding, type Route } from '@interop/kit/server';
import { GatewayErrorCode } from './__generated__/error-codes';
import { DEFAULT_DEMO_API_KEY } from './defaults';

export const DEMO_PATH = '/demo';

export interface DemoOptions {
  /** The folder `vite build` wrote (web/dist). */
  distDir: string;
  /** The key the demo sends with every request; DEFAULT_DEMO_API_KEY when not given. */
  apiKey?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The app only talks to its own origin, and QR codes arrive as data: URLs. (React sets styles through the DOM, which style-src allows.)
// connect-src 'self' also admits the live payment status's WebSocket to this host (ws: from an http page, wss: from https), as
// CSP Level 3 and Chromium have it; a browser that refuses it there follows payments by polling instead.
export const PAGE_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function demoRoute(options: DemoOptions): Route {
  const root = resolve(options.distDir);
  const config = { apiKey: options.apiKey ?? DEFAULT_DEMO_API_KEY };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, GatewayErrorCode.BAD_REQUEST, 'The demo answers GET and HEAD only.');
    }
    // Without the slash, the browser would resolve the app's relative links against "/".
    if (url.pathname === DEMO_PATH) {
      res.writeHead(308, { location: `${DEMO_PATH}/${url.search}` });
      return void res.end();
    }
    const name = decodedPath(url.pathname.slice(DEMO_PATH.length + 1));
    if (name === undefined) return sendError(res, 400, GatewayErrorCode.BAD_REQUEST, 'The path does not decode.');
    if (name === 'config.json') {
      res.setHeader('cache-control', 'no-store');
      return sendJson(res, 200, config);
    }
    const file = resolve(root, name === '' || name.endsWith('/') ? `${name}index.html` : name);
    const inside = relative(root, file);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return sendError(res, 404, GatewayErrorCode.BAD_REQUEST, 'Nothing is served at this path.');
    if (await isFile(file)) return sendFile(req, res, file, inside);
    // Page paths (no extension) belong to the app's own router; a missing asset is a real 404.
    if (extname(name) !== '') return sendError(res, 404, GatewayErrorCode.BAD_REQUEST, 'Nothing is served at this path.');
    const index = join(root, 'index.html');
    if (await isFile(index)) return sendFile(req, res, index, 'index.html');
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The demo app is not built. `npm start` builds it, or run `npm run build:demo`.\n');
  };
}

/** The path below /demo/, decoded; undefined when it cannot be. */
function decodedPath(encoded: string): string | undefined {
  try {
    const name = decodeURIComponent(encoded);
    return name.includes('\0') ? undefined : name;
  } catch {
    return undefined;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Sends a built file, or the copy of it the build compressed (`.br`, `.gz`
 * beside it) when the browser accepts that encoding; an HTML page with
 * `policy` as its Content-Security-Policy.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, name: string, policy = PAGE_POLICY): Promise<void> {
  const type = extname(path);
  const variants = await precompressed(path);
  const encoding = acceptedEncoding(req, [...variants.keys()]);
  const sent = encoding ? variants.get(encoding)! : path;
  const { size } = await stat(sent);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[type] ?? 'application/octet-stream',
    'content-length': size,
    'x-content-type-options': 'nosniff',
    // Vite names built assets by content hash, so they never change; pages must be revalidated to find new ones.
    'cache-control': name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(variants.size > 0 ? { vary: 'Accept-Encoding' } : {}),
    ...(encoding ? { 'content-encoding': encoding } : {}),
    ...(type === '.html' ? { 'content-security-policy': policy, 'referrer-policy': 'same-origin' } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(sent), res);
}

/** The compressed copies of `path` the build wrote, by encoding. */
async function precompressed(path: string): Promise<Map<ContentEncoding, string>> {
  const found = new Map<ContentEncoding, string>();
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (await isFile(path + suffix)) found.set(encoding, path + suffix);
  }
  return found;
}
