// Repeats of an operation skip Apollo Server's request pipeline (see the
// gateway's direct-answers): every request below is sent three times (the
// first run, a repeat the response cache has not stored, a repeat it may
// answer) to a gateway with the direct path and to one without it, and each
// pair of answers must be the same: status, body, the headers clients and
// caches read. The direct path's counter proves which requests took it.
import { createHash } from 'node:crypto';
import type { RunningGateway } from '@interop/gateway';
import { credentialHeaders, startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';

let graph: Graph;
let direct: RunningGateway;
let pipeline: RunningGateway;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 10 });
  [direct, pipeline] = await Promise.all([startGatewayFor(graph), startGatewayFor(graph, {}, { directAnswers: false })]);
});

afterAll(async () => {
  await direct?.stop();
  await pipeline?.stop();
  await graph?.stop();
});

interface Sent {
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sent as a GET, its fields as parameters (JSON where Apollo Server reads JSON), repeated where a test repeats them. */
  get?: boolean;
  repeat?: string;
}

interface Answer {
  status: number;
  body: string;
  contentType: string | null;
  cacheControl: string | null;
  age: boolean;
  etag: string | null;
}

async function send(gateway: RunningGateway, sent: Sent): Promise<Answer> {
  const response = sent.get
    ? await fetch(`${gateway.url}?${parameters(sent)}`, { headers: sent.headers ?? {} })
    : await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sent.headers }, body: JSON.stringify(sent.body) });
  const { headers } = response;
  return {
    status: response.status,
    // The landing page's script nonces are new on every page.
    body: (await response.text()).replace(/nonce([=-]"?)[0-9a-f]{64}/g, 'nonce$1'),
    contentType: headers.get('content-type'),
    cacheControl: headers.get('cache-control'),
    age: headers.has('age'),
    etag: headers.get('etag'),
  };
}

function parameters(sent: Sent): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(sent.body)) params.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  if (sent.repeat) params.append(sent.repeat, String(sent.body[sent.repeat]));
  return params;
}

async function directAnswers(gateway: RunningGateway): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return Number(/^gateway_direct_answers_total (\d+)/m.exec(text)?.[1] ?? 0);
}

const partner = credentialHeaders(PARTNER_A);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
/** An operation with aliases, which the gateway would otherwise cut before planning. */
const PERSISTED = 'query Tools { tools: paymentTools { id label: name } }';
const ANONYMOUS_MUTATION =
  'mutation { initiatePayment(input: { merchantId: "m0000001", platformId: "taobao", paymentToolId: "alipay", amount: { currency: CNY, amountMinor: 100 }, reference: "direct-1", idempotencyKey: "direct-1" }) { id } }';

test.each<[string, Sent, number]>([
  ['a public query, answered from the response cache the third time', { body: { query: '{ paymentTools { id name provider } }' } }, 2],
  ['aliases restored, some cut before planning', { body: { query: '{ tools: paymentTools { id name: name } first: platform(id: "taobao") { id n: name } }' } }, 2],
  [
    'one of several operations, by name, with variables',
    { body: { query: 'query A($id: ID!) { platform(id: $id) { id } } query B($id: ID!) { merchant(id: $id) { id name } }', operationName: 'B', variables: { id: 'm0000001' } } },
    2,
  ],
  ['a variable named like a result field', { body: { query: 'query ($errors: ID!, $data: ID!) { a: platform(id: $errors) { id } b: platform(id: $data) { id } }', variables: { errors: 'taobao', data: 'meituan' } } }, 2],
  ['a partial answer with an error, never cached', { body: { query: 'query ($id: ID!) { platforms { id } payment(id: $id) { id } }', variables: { id: 'pay_unknown' } } }, 2],
  ['a mutation refused to an anonymous caller', { body: { query: ANONYMOUS_MUTATION } }, 2],
  ['a per-caller answer, never shared', { body: { query: 'query ($id: ID!) { merchant(id: $id) { id payments(first: 5) { edges { node { id } } } } }', variables: { id: 'm0000001' } }, headers: partner }, 2],
  ['the GraphQL response media type, when the client prefers it', { body: { query: '{ platforms { id name } }' }, headers: { accept: 'application/graphql-response+json, application/json;q=0.9' } }, 2],
  ['an accept header no JSON answer meets', { body: { query: '{ platforms { id } }' }, headers: { accept: 'text/html' } }, 0],
  ['variables that do not fit', { body: { query: 'query ($id: ID!) { platform(id: $id) { id } }', variables: { id: { not: 'an id' } } } }, 0],
  ['a persisted query whose hash is not its text\'s', { body: { query: '{ platforms { name } }', extensions: persisted('b3f2a0c5a8a7ac1eb7c0f1cbab0b5e6c3c2d3a51cd4f0c8d0b2c97e2ef36f2c4') } }, 0],
  ['a persisted query of another version', { body: { query: PERSISTED, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(PERSISTED) } } } }, 0],
  ['a persisted query by a hash nobody registered', { body: { extensions: persisted(sha256('{ platforms { id name provider } }')) } }, 0],
  // Registers the text under its hash (aliases and all), then runs it directly by text and hash.
  ['a persisted query registered with its text', { body: { query: PERSISTED, extensions: persisted(sha256(PERSISTED)) } }, 2],
  ['the registered persisted query by its hash alone', { body: { extensions: persisted(sha256(PERSISTED)) } }, 3],
  ['the registered persisted query by its hash alone, as a GET', { get: true, body: { extensions: persisted(sha256(PERSISTED)) }, headers: { 'content-type': 'application/json' } }, 3],
  ['a GET with a preflight header', { get: true, body: { query: '{ platforms { name id } }' }, headers: { 'apollo-require-preflight': 'true' } }, 2],
  ['a GET with variables, sent as JSON', { get: true, body: { query: 'query ($id: ID!) { platform(id: $id) { id name } }', variables: { id: 'meituan' } }, headers: { 'content-type': 'application/json' } }, 2],
  ['a GET without a preflight header, refused as cross-site', { get: true, body: { query: '{ platforms { id } }' } }, 0],
  ['a GET from a browser tab, answered with the landing page', { get: true, body: { query: '{ platforms { id } }' }, headers: { accept: 'text/html', 'apollo-require-preflight': 'true' } }, 0],
  ['a GET naming its query twice', { get: true, body: { query: '{ platforms { id } }' }, headers: { 'apollo-require-preflight': 'true' }, repeat: 'query' }, 0],
  // The same text as the POSTed mutation above, so the gateway knows it: a GET still may not run it.
  ['a known mutation sent as a GET', { get: true, body: { query: ANONYMOUS_MUTATION }, headers: { 'apollo-require-preflight': 'true' } }, 0],
])('%s: the same answer with the direct path as without it', async (_name, sent, directly) => {
  const before = await directAnswers(direct);
  for (let round = 0; round < 3; round += 1) {
    const [ours, apollo] = await Promise.all([send(direct, sent), send(pipeline, sent)]);
    if (sent.body.query?.toString().startsWith('mutation') || sent.headers === partner) {
      // Ids and timestamps differ between the two gateways' runs: compare what does not.
      expect({ ...ours, body: shapeOf(ours.body) }).toEqual({ ...apollo, body: shapeOf(apollo.body) });
    } else {
      expect(ours).toEqual(apollo);
    }
  }
  expect((await directAnswers(direct)) - before).toBe(directly);
  expect(await directAnswers(pipeline)).toBe(0);
});

test('a repeat over the limits is refused as the first run would be, by Apollo Server', async () => {
  const query = 'query ($n: Int) { platforms { merchants(first: $n) { edges { node { storefronts { paymentOptions { tool { id } } } } } } } }';
  const small = await send(direct, { body: { query, variables: { n: 2 } } });
  expect(small.status).toBe(200);
  const [ours, apollo] = await Promise.all([send(direct, { body: { query, variables: { n: 100_000 } } }), send(pipeline, { body: { query, variables: { n: 100_000 } } })]);
  expect(ours).toEqual(apollo);
  expect(ours.status).toBe(400);
  expect((JSON.parse(ours.body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('OPERATION_TOO_EXPENSIVE');
});

/** The answer's keys and error codes, without the values that differ from run to run. */
function shapeOf(body: string): unknown {
  const strip = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(strip) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'message' ? item : strip(item)])) : typeof value;
  const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
  return { shape: strip(parsed), codes: parsed.errors?.map((error) => error.extensions?.code) };
}
