// Where the deployment's switches are off (production): an endpoint must be
// https, and may not be or resolve to a loopback, private, link-local or
// cloud metadata address. Refused with WEBHOOK_URL_NOT_ALLOWED, and nothing is
// created. (partner-webhooks.test.ts sends to 127.0.0.1 with both switches on.)
import { startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';
import { createEndpoint, ENDPOINTS, type EndpointView } from '@interop/testing/webhook-operations';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 10, partnerWebhooks: { allowInsecure: false, allowPrivate: false } });
});

afterAll(async () => {
  await graph?.stop();
});

test.each([
  ['http://hooks.example.com/in', 'INSECURE_URL'],
  ['https://127.0.0.1/hooks', 'PRIVATE_ADDRESS'],
  ['https://localhost:8443/hooks', 'PRIVATE_ADDRESS'],
  ['https://10.1.2.3/hooks', 'PRIVATE_ADDRESS'],
  ['https://192.168.0.10/hooks', 'PRIVATE_ADDRESS'],
  ['https://[::1]/hooks', 'PRIVATE_ADDRESS'],
  ['https://[fe80::1]/hooks', 'PRIVATE_ADDRESS'],
  ['https://[::ffff:10.0.0.1]/hooks', 'PRIVATE_ADDRESS'],
  ['https://0.0.0.0/hooks', 'PRIVATE_ADDRESS'],
  ['https://169.254.169.254/latest/meta-data', 'METADATA_ADDRESS'],
  ['https://[fd00:ec2::254]/latest/meta-data', 'METADATA_ADDRESS'],
])('%s is refused (%s)', async (url, reason) => {
  const refused = await createEndpoint(graph, PARTNER_A, { url });
  expect(refused.errors?.map((error) => [error.extensions?.code, error.extensions?.reason])).toEqual([['WEBHOOK_URL_NOT_ALLOWED', reason]]);
  expect(refused.data?.createWebhookEndpoint).toBeNull();
});

test('a public https address is accepted, and nothing refused was created', async () => {
  const url = 'https://93.184.215.14/hooks';
  const created = await createEndpoint(graph, PARTNER_A, { url });
  expect(created.errors).toBeUndefined();
  const listed = await graph.query<{ webhookEndpoints: EndpointView[] }>(ENDPOINTS);
  expect(listed.errors).toBeUndefined();
  expect(listed.data?.webhookEndpoints.map((endpoint) => endpoint.url)).toEqual([url]);
});
