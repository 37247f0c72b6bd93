// A browser app on another origin calls the graph, as a partner's frontend
// would: Chromium (playwright-core) loads a page from a server on one port and
// POSTs a query, with an API key, to the gateway on another. An allowed
// origin gets its preflight answered and reads the answer; any other origin
// is blocked by the browser, and the gateway's CSRF protection still refuses
// a simple cross-site request.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { RunningGateway } from '@interop/gateway';
import { CORS_ALLOWED_HEADERS } from '../../gateway/src/cors';
import { startGatewayFor, startGraph, type Graph } from '../harness';
import { PARTNER_A } from '../identities';

const CHROMIUM = '/usr/bin/chromium';

let graph: Graph;
let gateway: RunningGateway;
let browser: Browser;
const sites: Server[] = [];

/** A site on a port of its own (so an origin of its own) serving one empty page. */
async function site(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>partner app</title>');
  });
  sites.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let allowed: string;
let other: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  [allowed, other] = await Promise.all([site(), site()]);
  graph = await startGraph({ merchantCount: 50 });
  gateway = await startGatewayFor(graph, {}, { corsOrigins: [allowed] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await graph?.stop();
  await Promise.all(sites.map((server) => new Promise((resolve) => server.close(resolve))));
});

interface PageFetch {
  ok: boolean;
  status?: number;
  body?: unknown;
  requestId?: string | null;
  failed?: string;
}

/** What a page on `origin` gets when it POSTs a query with the partner's key to the gateway. */
async function fetchFrom(origin: string): Promise<PageFetch> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      async ({ url, key }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': key },
            body: JSON.stringify({ query: '{ platform(id: "taobao") { name } }' }),
          });
          return { ok: true, status: response.status, body: await response.json(), requestId: response.headers.get('x-request-id') };
        } catch (error) {
          return { ok: false, failed: String(error) };
        }
      },
      { url: `${gateway.url}graphql`, key: PARTNER_A.key },
    );
  } finally {
    await page.close();
  }
}

it('answers an allowed origin, preflight included, and lets the page read its request id', async () => {
  const result = await fetchFrom(allowed);
  expect(result).toMatchObject({ ok: true, status: 200, body: { data: { platform: { name: 'Taobao' } } } });
  expect(result.requestId).toMatch(/.+/);
});

it('leaves any other origin blocked by the browser', async () => {
  const result = await fetchFrom(other);
  expect(result.ok).toBe(false);
});

it('answers the preflight with 204, the methods and every header the graph reads', async () => {
  const response = await fetch(`${gateway.url}graphql`, {
    method: 'OPTIONS',
    headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  expect(response.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']));
  expect(response.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(CORS_ALLOWED_HEADERS));
  expect(response.headers.get('vary')).toMatch(/origin/i);
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
});

it('keeps the CSRF protection for every other origin and for simple requests', async () => {
  const preflight = await fetch(`${gateway.url}graphql`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'POST' } });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  // A form-encoded or text/plain POST needs no preflight, so CORS never sees it: Apollo's CSRF prevention refuses it.
  const simple = await fetch(`${gateway.url}graphql`, {
    method: 'POST',
    headers: { origin: allowed, 'content-type': 'text/plain' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(simple.status).toBe(400);
  expect(((await simple.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
});
