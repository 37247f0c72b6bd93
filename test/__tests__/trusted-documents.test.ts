// Trusted documents through the running graph, with the manifest `npm run
// build:documents` wrote: a document of the manifest runs by its text or by
// its hash alone; a key under `enforce` gets 400 PERSISTED_QUERY_NOT_ALLOWED
// for anything else, before the gateway parses it; under `off` (the default)
// anything runs, automatic persisted queries included: as Apollo Client's
// persisted-query link sends them, with aliases, and from their second run
// without Apollo Server's request pipeline.
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayErrorCode, type RunningGateway } from '@interop/gateway';
import { createLogger } from '@interop/kit';
import { loadTrustedDocuments } from '../../gateway/src/trusted-documents';
import { credentialHeaders, ROOT, startGatewayFor, startGraph, TEST_GATEWAY_OPTIONS, type Graph } from '@interop/testing/harness';
import { PARTNER_A, PARTNER_B, READ_ONLY, TEST_AUTH } from '@interop/testing/identities';
import { wsClient } from '@interop/testing/subscription-helpers';

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

it('refuses a hash that is not its text\'s, or a version other than 1, with 400 and a code, registering nothing', async () => {
  const query = '{ platformCount: platforms { id } }';
  const mismatch = await post(PARTNER_B.key, { query, ...byHash(sha256(`${query} `)) });
  expect(mismatch.status).toBe(400);
  expect(codes(mismatch)).toEqual([GatewayErrorCode.PERSISTED_QUERY_HASH_MISMATCH]);
  expect(codes(await post(PARTNER_B.key, byHash(sha256(`${query} `))))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  const version2 = await post(PARTNER_B.key, { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
  expect(version2.status).toBe(400);
  expect(codes(version2)).toEqual(['BAD_REQUEST']);
});

describe('Apollo Client\'s persisted-query link', () => {
  const ALIASED = gql`
    query AliasedTools($platformId: ID!) {
      tools: paymentTools { id label: name }
      home: platform(id: $platformId) { id title: name }
    }
  `;
  type AliasedTools = { tools: { id: string; label: string }[]; home: { id: string; title: string } | null };
  const directAnswers = async () => Number(/^gateway_direct_answers_total (\d+)/m.exec(await (await fetch(`${gateway.url}metrics`)).text())?.[1] ?? 0);

  test.each([
    ['POST', false],
    ['GET', true],
  ])('runs an aliased query by hash over %s: registered with its text on the first miss, then by hash alone without the pipeline', async (_method, useGETForHashedQueries) => {
    const sent: { method: string; body: Record<string, unknown> | null }[] = [];
    const recording: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      sent.push({ method: init?.method ?? 'GET', body: init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : Object.fromEntries(url.searchParams) });
      return fetch(input, init);
    };
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        new PersistedQueryLink({ sha256, useGETForHashedQueries }),
        new HttpLink({ uri: `${gateway.url}graphql`, headers: credentialHeaders(PARTNER_B), fetch: recording }),
      ]),
    });
    try {
      // A platform of its own per transport, so the hash is new to the gateway each time.
      const platformId = useGETForHashedQueries ? 'jd' : 'taobao';
      const ask = () => client.query<AliasedTools>({ query: ALIASED, variables: { platformId }, fetchPolicy: 'network-only' });
      const first = await ask();
      expect(first.data?.tools).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'alipay', label: 'Alipay' })]));
      expect(first.data?.home).toMatchObject({ id: platformId, title: expect.any(String) });
      const before = await directAnswers();
      const again = await ask();
      expect(again.data).toEqual(first.data);
      expect((await directAnswers()) - before).toBe(1);
      // The link asked by hash; a miss made it send the text with the hash, once; the repeat went by hash alone.
      const sentText = sent.filter((request) => typeof request.body?.query === 'string');
      expect(sentText.length).toBeLessThanOrEqual(1);
      expect(sent.at(-1)).toMatchObject({ method: useGETForHashedQueries ? 'GET' : 'POST' });
      expect(sent.at(-1)?.body?.query).toBeUndefined();
    } finally {
      client.stop();
    }
  });

  it('answers a trusted document by hash alone without the pipeline from its second run, for a key under enforce', async () => {
    const [key] = CATALOG!;
    await post(PARTNER_A.key, byHash(key.slice('sha256:'.length)));
    const before = await directAnswers();
    const again = await post(PARTNER_A.key, byHash(key.slice('sha256:'.length)));
    expect(again.body.errors).toBeUndefined();
    expect((await directAnswers()) - before).toBe(1);
  });
});

it('runs an aliased query sent with its persisted-query hash over WebSocket too (graphql-ws always sends the text)', async () => {
  const client = wsClient(gateway, { connectionParams: { 'x-api-key': PARTNER_B.key } });
  const query = 'query { listed: platforms { key: id } }';
  const results = client.iterate({ query, ...byHash(sha256(query)) });
  try {
    const answer = (await results.next()).value as Answer['body'];
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.listed).toEqual(expect.arrayContaining([{ key: 'taobao' }]));
  } finally {
    await results.return?.();
    await client.dispose();
  }
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
