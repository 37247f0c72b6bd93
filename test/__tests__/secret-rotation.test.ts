// Rotating SUBGRAPH_SIGNING_SECRET while the processes restart one by one, as
// docs/operating.md tells it: (1) every process accepts the new secret while
// still signing with the old; (2) every process signs with the new and still
// accepts the old; (3) the old is dropped. At each step a gateway or a peer
// subgraph on either side of the step is answered, and once the old secret is
// dropped what it signs is refused.
import { join } from 'node:path';
import { ConfigError } from '@interop/kit';
import type { RunningSubgraph } from '@interop/kit/server';
import { IDENTITY_HEADER, serviceCaller, signIdentity } from '@interop/kit/security';
import { startCommerce } from '@interop/commerce';
import { parseGatewayCli, type RunningGateway } from '@interop/gateway';
import { NO_RESPONSE_CACHE, postGraphQL, ROOT, startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';

const OLD = 'rotation-test-old-secret-0001';
const NEW = 'rotation-test-new-secret-0002';

/** Reaches every subgraph, and payments calls commerce and merchants as a peer. */
const ACROSS_THE_GRAPH = /* GraphQL */ `{
  platform(id: "taobao") { name merchants { totalCount } }
  paymentTools { id }
  checkoutOptions(platformId: "taobao", merchantId: "m0000001") { tool { id } }
}`;
/** Reaches commerce alone. */
const PLATFORM = /* GraphQL */ `{ platform(id: "taobao") { name } }`;

interface Answer {
  platform: { name: string } | null;
}

let graph: Graph;
const gateways: RunningGateway[] = [];
const subgraphs: RunningSubgraph[] = [];

/**
 * A gateway signing with `secret` over the graph's subgraphs, commerce routed
 * to `commerceUrl` if given. It caches no answer, so each reaches the subgraphs.
 */
async function gatewaySigningWith(secret: string, commerceUrl?: string): Promise<RunningGateway> {
  const gateway = await startGatewayFor(graph, commerceUrl ? { commerce: commerceUrl } : {}, { signingSecret: secret, ...NO_RESPONSE_CACHE });
  gateways.push(gateway);
  return gateway;
}

async function commerceTrusting(signingSecret: string, acceptedSecrets?: string[]): Promise<RunningSubgraph> {
  const commerce = await startCommerce({ port: 0, host: '127.0.0.1', trust: { signingSecret, ...(acceptedSecrets ? { acceptedSecrets } : {}) } });
  subgraphs.push(commerce);
  return commerce;
}

/** A peer subgraph's call to commerce, signed with `secret`: the status commerce answers. */
async function peerCall(commerce: RunningSubgraph, secret: string): Promise<number> {
  const body = JSON.stringify({ query: PLATFORM });
  const response = await fetch(commerce.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(secret, serviceCaller('payments'), 'commerce', body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  // Step 1 reached: every subgraph signs with the old secret and accepts the new one.
  graph = await startGraph({ merchantCount: 20, trust: { signingSecret: OLD, acceptedSecrets: [NEW] }, gateway: { signingSecret: OLD, ...NO_RESPONSE_CACHE } });
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
  await graph?.stop();
});

test('step 1: subgraphs signing with the old secret and accepting the new answer gateways signing with either, and call each other', async () => {
  const ahead = await gatewaySigningWith(NEW);
  for (const url of [graph.gateway.url, ahead.url]) {
    const response = await postGraphQL<{ platform: { name: string }; paymentTools: unknown[]; checkoutOptions: unknown[] }>(url, ACROSS_THE_GRAPH, {}, PARTNER_A);
    expect(response.errors).toBeUndefined();
    expect(response.data?.platform.name).toBe('Taobao');
    expect(response.data?.paymentTools.length).toBeGreaterThan(0);
    expect(Array.isArray(response.data?.checkoutOptions)).toBe(true);
    const ready = await fetch(new URL('/ready', url));
    await ready.arrayBuffer();
    expect(ready.status).toBe(200);
  }
});

test('step 2: a subgraph signing with the new secret and accepting the old answers gateways and peers still on the old one', async () => {
  const commerce = await commerceTrusting(NEW, [OLD]);
  for (const secret of [OLD, NEW]) {
    const gateway = await gatewaySigningWith(secret, commerce.url);
    const response = await postGraphQL<Answer>(gateway.url, PLATFORM, {}, PARTNER_A);
    expect(response.errors).toBeUndefined();
    expect(response.data?.platform?.name).toBe('Taobao');
    expect(await peerCall(commerce, secret)).toBe(200);
  }
});

test('step 3: a subgraph that dropped the old secret answers the new one and refuses the old', async () => {
  const commerce = await commerceTrusting(NEW);
  const current = await gatewaySigningWith(NEW, commerce.url);
  const answered = await postGraphQL<Answer>(current.url, PLATFORM, {}, PARTNER_A);
  expect(answered.errors).toBeUndefined();
  expect(answered.data?.platform?.name).toBe('Taobao');
  expect(await peerCall(commerce, NEW)).toBe(200);

  const behind = await gatewaySigningWith(OLD, commerce.url);
  const refused = await postGraphQL<Answer>(behind.url, PLATFORM, {}, PARTNER_A);
  expect(refused.data?.platform ?? null).toBeNull();
  expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  expect(await peerCall(commerce, OLD)).toBe(401);
  // The gateway left behind shows it: not ready.
  const ready = await fetch(new URL('/ready', behind.url));
  await ready.arrayBuffer();
  expect(ready.status).toBe(503);
});

test('a gateway refuses to start with an accepted secret too short, naming the variable', () => {
  const start = () => parseGatewayCli(['--supergraph', join(ROOT, 'supergraph.graphql')], { SUBGRAPH_SIGNING_SECRETS_ACCEPTED: `${NEW},short` });
  expect(start).toThrow(ConfigError);
  expect(start).toThrow('SUBGRAPH_SIGNING_SECRETS_ACCEPTED');
  const rotating = parseGatewayCli(['--supergraph', join(ROOT, 'supergraph.graphql')], { SUBGRAPH_SIGNING_SECRET: NEW, SUBGRAPH_SIGNING_SECRETS_ACCEPTED: OLD });
  expect(rotating.signingSecret).toBe(NEW);
});
