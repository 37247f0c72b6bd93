// What clients meet at the gateway's edge, through the running graph.
// CORS: a browser app on another origin calls the graph, as a partner's
// frontend would: Chromium (playwright-core) loads a page from a server on one
// port and POSTs a query, with an API key, to the gateway on another. An
// allowed origin gets its preflight answered and reads the answer; any other
// origin is blocked by the browser, and the gateway's CSRF protection still
// refuses a simple cross-site request. Compression: answers over 1 KiB in the
// encoding the client accepts, answers in parts never. ETags: public answers
// carry one, and a revalidation gets 304 with no body.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { RunningGateway } from '@interop/gateway';
import { CORS_ALLOWED_HEADERS } from '../../gateway/src/cors';
import { startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';
import { decodedBody, rawRequest, type RawAnswer } from '@interop/testing/raw-http';

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

describe('CORS', () => {
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
});

const raw = (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) =>
  rawRequest(`${gateway.url.replace(/\/$/, '')}${path}`, method, headers, body);
const decoded = (answer: RawAnswer) => JSON.parse(decodedBody(answer).toString('utf8')) as unknown;

// Platforms with their tools: public (cacheable), and well over 1 KiB.
const LARGE = JSON.stringify({ query: '{ platforms { id name acceptedPaymentTools { status checkoutRank tool { id name provider } } } }' });
const SMALL = JSON.stringify({ query: '{ platform(id: "taobao") { name } }' });

describe('compression', () => {
  it('sends an answer over 1 KiB in brotli or gzip, as the client prefers, and the same answer either way', async () => {
    const plain = await raw('POST', '/graphql', {}, LARGE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);
    const br = await raw('POST', '/graphql', { 'accept-encoding': 'gzip, deflate, br' }, LARGE);
    const gzip = await raw('POST', '/graphql', { 'accept-encoding': 'br;q=0.5, gzip' }, LARGE);
    const refused = await raw('POST', '/graphql', { 'accept-encoding': 'br;q=0, gzip;q=0' }, LARGE);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(refused.headers['content-encoding']).toBeUndefined();
    for (const answer of [br, gzip]) {
      expect(answer.bytes.length).toBeLessThan(plain.bytes.length);
      expect(Number(answer.headers['content-length'])).toBe(answer.bytes.length);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(decoded(answer)).toEqual(decoded(plain));
    }
  });

  it('sends a small answer as it is', async () => {
    const small = await raw('POST', '/graphql', { 'accept-encoding': 'br, gzip' }, SMALL);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(decoded(small)).toEqual({ data: { platform: { name: 'Taobao' } } });
  });

  it('never compresses an answer in parts, so no part waits for the next', async () => {
    const deferred = JSON.stringify({ query: '{ platforms { id ... @defer { acceptedPaymentTools { status checkoutRank tool { id name provider } } } } }' });
    const parts = await raw('POST', '/graphql', { accept: 'multipart/mixed;deferSpec=20220824, application/json', 'accept-encoding': 'br, gzip' }, deferred);
    expect(parts.status).toBe(200);
    expect(parts.headers['content-type']).toMatch(/^multipart\/mixed/);
    expect(parts.headers['content-encoding']).toBeUndefined();
  });
});

describe('ETags', () => {
  it('tags a public answer, and answers its revalidation with 304 and no body, by GET and by POST', async () => {
    const first = await raw('POST', '/graphql', {}, SMALL);
    const tag = first.headers.etag;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(first.headers['cache-control']).toMatch(/public/);
    const again = await raw('POST', '/graphql', { 'if-none-match': tag! }, SMALL);
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.etag).toBe(tag);
    const query = encodeURIComponent('{ platform(id: "taobao") { name } }');
    const viaGet = await raw('GET', `/graphql?query=${query}`, { 'apollo-require-preflight': 'true' });
    expect(viaGet.status).toBe(200);
    expect(viaGet.headers.etag).toBe(tag);
    const revalidated = await raw('GET', `/graphql?query=${query}`, { 'apollo-require-preflight': 'true', 'if-none-match': `"stale", ${tag!}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.bytes.length).toBe(0);
  });

  it('tags each encoding of an answer apart, and a changed answer differently', async () => {
    const plain = await raw('POST', '/graphql', {}, LARGE);
    const br = await raw('POST', '/graphql', { 'accept-encoding': 'br' }, LARGE);
    expect(br.headers.etag).toBeDefined();
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    expect((await raw('POST', '/graphql', { 'if-none-match': plain.headers.etag! }, SMALL)).status).toBe(200);
  });

  it('tags no answer meant for one caller', async () => {
    const mine = await raw('POST', '/graphql', { 'x-api-key': PARTNER_A.key }, JSON.stringify({ query: '{ payment(id: "pay_missing") { id } }' }));
    expect(mine.status).toBe(200);
    expect(mine.headers.etag).toBeUndefined();
  });
});
