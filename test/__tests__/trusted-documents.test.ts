// Trusted documents through the running graph, with the manifest `npm run
// build:documents` wrote: a document of the manifest runs by its text or by
// its hash alone; a key under `enforce` gets 400 PERSISTED_QUERY_NOT_ALLOWED
// for anything else, before the gateway parses it; under `off` (the default)
// anything runs, automatic persisted queries included.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayErrorCode, type RunningGateway } from '@interop/gateway';
import { createLogger } from '@interop/kit';
import { loadTrustedDocuments } from '../../gateway/src/trusted-documents';
import { ROOT, startGatewayFor, startGraph, TEST_GATEWAY_OPTIONS, type Graph } from '../harness';
import { PARTNER_A, PARTNER_B, READ_ONLY, TEST_AUTH } from '../identities';
import { wsClient } from '../subscription-helpers';

const MANIFEST = join(ROOT, 'trusted-documents.json');
const documents = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
const CATALOG = Object.entries(documents).find(([, text]) => text.startsWith('query Catalog '));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface LogLine {
  msg: string;
  credential?: string;
}
const logged: LogLine[] = [];

let graph: Graph;
let gateway: RunningGateway;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 50 });
  // Partner A may run only trusted documents; everyone else anything (the gateway's mode, off).
  // The read-only key runs anything but is logged when it is not trusted.
  const apiKeys = TEST_AUTH.apiKeys.map((key) =>
    key.partnerId !== 'partner-a' ? key : { ...key, trustedDocuments: key.scopes.length > 1 ? ('enforce' as const) : ('log' as const) },
  );
  gateway = await startGatewayFor(graph, {}, {
    auth: { ...TEST_GATEWAY_OPTIONS.auth, apiKeys },
    trustedDocuments: { mode: 'off', manifest: loadTrustedDocuments(MANIFEST) },
    logger: createLogger('gateway', { level: 'warn', destination: { write: (line: string) => void logged.push(JSON.parse(line) as LogLine) } }),
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await graph?.stop();
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

async function post(key: string, payload: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${gateway.url}graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(payload) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const codes = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);
const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

it('finds the demo app\'s documents in the manifest, each keyed by the hash of its text', () => {
  expect(CATALOG).toBeDefined();
  for (const [key, text] of Object.entries(documents)) expect(key).toBe(`sha256:${sha256(text)}`);
});

it('runs a trusted document by its hash alone or by its text, for a key under enforce', async () => {
  const [key, text] = CATALOG!;
  const hashOnly = await post(PARTNER_A.key, byHash(key.slice('sha256:'.length)));
  expect(hashOnly.status).toBe(200);
  expect(hashOnly.body.errors).toBeUndefined();
  expect(hashOnly.body.data?.paymentTools).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'wechat-pay' })]));
  const asText = await post(PARTNER_A.key, { query: text });
  expect(asText.body).toEqual(hashOnly.body);
});

it('refuses any other document for a key under enforce with 400, before parsing it', async () => {
  for (const payload of [
    { query: '{ paymentTools { id } }' },
    // Not even GraphQL: refused for not being trusted, not for its syntax.
    { query: '{ this is not graphql' },
    byHash(sha256('{ paymentTools { id } }')),
    // An automatic persisted query registration is a document like any other.
    { query: '{ platforms { id } }', ...byHash(sha256('{ platforms { id } }')) },
  ]) {
    const answer = await post(PARTNER_A.key, payload);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual([GatewayErrorCode.PERSISTED_QUERY_NOT_ALLOWED]);
    expect(answer.body.data).toBeUndefined();
  }
});

it('runs anything for a key under off, automatic persisted queries included', async () => {
  const query = '{ platforms { id } }';
  const unknownHash = await post(PARTNER_B.key, byHash(sha256(query)));
  expect(codes(unknownHash)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  const registered = await post(PARTNER_B.key, { query, ...byHash(sha256(query)) });
  expect(registered.body.errors).toBeUndefined();
  const hashOnly = await post(PARTNER_B.key, byHash(sha256(query)));
  expect(hashOnly.body).toEqual(registered.body);
  const [key] = CATALOG!;
  expect((await post(PARTNER_B.key, byHash(key.slice('sha256:'.length)))).body.errors).toBeUndefined();
});

it('refuses a GET by hash or text under enforce unless trusted', async () => {
  const [key] = CATALOG!;
  const get = (search: string) =>
    fetch(`${gateway.url}graphql?${search}`, { headers: { 'x-api-key': PARTNER_A.key, 'apollo-require-preflight': 'true' } });
  const trusted = await get(`extensions=${encodeURIComponent(JSON.stringify(byHash(key.slice('sha256:'.length)).extensions))}`);
  expect(trusted.status).toBe(200);
  const untrusted = await get(`query=${encodeURIComponent('{ platforms { id } }')}`);
  expect(untrusted.status).toBe(400);
  expect(((await untrusted.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe(GatewayErrorCode.PERSISTED_QUERY_NOT_ALLOWED);
});

it('runs any document for a key under log, and logs each untrusted one with the key', async () => {
  const [, text] = CATALOG!;
  const before = logged.length;
  expect((await post(READ_ONLY.key, { query: text })).body.errors).toBeUndefined();
  expect(logged.slice(before).some((line) => line.credential)).toBe(false);
  const untrusted = await post(READ_ONLY.key, { query: '{ platforms { id } }' });
  expect(untrusted.status).toBe(200);
  expect(untrusted.body.errors).toBeUndefined();
  expect(logged.slice(before).flatMap((line) => (line.credential ? [line.credential] : []))).toEqual([READ_ONLY.caller.credentialId]);
});

it('labels a trusted document by its name on /metrics from its first request', async () => {
  const metrics = await (await fetch(`${gateway.url}metrics`)).text();
  expect(metrics).toMatch(/gateway_requests_total\{operation="Catalog",outcome="ok"\} [1-9]/);
});

it('holds over WebSocket too: a key under enforce runs trusted documents only, queries and subscriptions alike', async () => {
  const client = wsClient(gateway, { connectionParams: { 'x-api-key': PARTNER_A.key } });
  const firstOf = async (request: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> }) => {
    const results = client.iterate(request);
    try {
      return { result: (await results.next()).value as Answer['body'] };
    } catch (error) {
      return { refused: (error as { extensions?: { code?: string } }[]).map((entry) => entry.extensions?.code) };
    } finally {
      await results.return?.();
    }
  };
  try {
    const [, text] = CATALOG!;
    const trusted = await firstOf({ query: text });
    expect(trusted.result?.errors).toBeUndefined();
    expect(trusted.result?.data?.paymentTools).toBeDefined();
    expect(await firstOf({ query: '{ platforms { id } }' })).toEqual({ refused: [GatewayErrorCode.PERSISTED_QUERY_NOT_ALLOWED] });
    expect(await firstOf({ query: 'subscription ($id: ID!) { paymentUpdated(id: $id) { id } }', variables: { id: 'pay_x' } })).toEqual({
      refused: [GatewayErrorCode.PERSISTED_QUERY_NOT_ALLOWED],
    });
  } finally {
    await client.dispose();
  }
});
