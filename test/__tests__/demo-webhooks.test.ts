// `npm start`'s partner webhooks, without the graph: the development switches
// it gives payments, the registration of its receiver for the demo partner
// (against a stand-in gateway that keeps endpoints as the schema describes),
// the documents that registration sends (valid against the supergraph), and
// the receiver itself, which checks deliveries with the SDK and lists them.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { close, listen, readRawBody, sendJson } from '@interop/kit/server';
import { signWebhookPayload } from '@interop/kit/security';
import * as documents from '../../docs/examples/webhook-endpoints';
import { startDemoWebhookReceiver } from '../../scripts/demo-webhook-receiver';
import { DEMO_WEBHOOK_EVENTS, ensureDemoWebhookEndpoint, partnerWebhooksEnv } from '../../scripts/demo-webhooks';
import { ROOT } from '@interop/testing/harness';

/** An endpoint secret as the graph makes them: `whsec_` and 32 random bytes, base64url. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

describe('partnerWebhooksEnv', () => {
  test('turns both switches on where the environment leaves them unset or empty, and keeps what the user chose', () => {
    const env = { PARTNER_WEBHOOKS_ALLOW_PRIVATE: 'false', PARTNER_WEBHOOKS_ALLOW_INSECURE: '', OTHER: 'kept' };
    expect(partnerWebhooksEnv(env)).toEqual({ PARTNER_WEBHOOKS_ALLOW_PRIVATE: 'false', PARTNER_WEBHOOKS_ALLOW_INSECURE: 'true', OTHER: 'kept' });
    expect(partnerWebhooksEnv({})).toEqual({ PARTNER_WEBHOOKS_ALLOW_PRIVATE: 'true', PARTNER_WEBHOOKS_ALLOW_INSECURE: 'true' });
    expect(env.PARTNER_WEBHOOKS_ALLOW_INSECURE).toBe('');
  });
});

test('every operation of webhook-endpoints.ts is valid against the supergraph', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
  const texts = (Object.values(documents) as unknown[]).filter((value): value is string => typeof value === 'string');
  expect(texts).toHaveLength(7);
  for (const text of texts) expect([text, validate(schema, parse(text)).map((error) => error.message)]).toEqual([text, []]);
});

interface StoredEndpoint {
  id: string;
  url: string;
  events: string[];
  status: 'ENABLED' | 'DISABLED';
  secret: string;
  rotations: number[];
}

interface Variables {
  id: string;
  expiresPreviousInSeconds: number;
  input: { id: string; url: string; events: string[]; enabled?: boolean };
}

/** A gateway that keeps one partner's endpoints, answering the calls webhook-endpoints.ts makes; `refuse` answers the next calls with an error instead. */
async function fakeGateway(initial: StoredEndpoint[] = []) {
  const endpoints = [...initial];
  const calls: string[] = [];
  const refusals: { status: number; code?: string }[] = [];
  const server = createServer((req, res) => {
    void readRawBody(req, 64 * 1024).then((raw) => {
      const { query, variables } = JSON.parse(raw) as { query: string; variables: Variables };
      const name = /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '';
      calls.push(name);
      const refusal = refusals.shift();
      if (refusal) return sendJson(res, refusal.status, refusal.code ? { data: null, errors: [{ message: 'refused', extensions: { code: refusal.code } }] } : { error: 'bad gateway' });
      const view = ({ secret: _secret, rotations: _rotations, ...endpoint }: StoredEndpoint) => ({ ...endpoint, disabledReason: null, previousSecretExpiresAt: null });
      switch (name) {
        case 'WebhookEndpoints':
          return sendJson(res, 200, { data: { webhookEndpoints: endpoints.map(view) } });
        case 'CreateWebhookEndpoint': {
          const endpoint: StoredEndpoint = { id: `we_${endpoints.length + 1}`, url: variables.input.url, events: variables.input.events, status: 'ENABLED', secret: newSecret(), rotations: [] };
          endpoints.push(endpoint);
          return sendJson(res, 200, { data: { createWebhookEndpoint: { secret: endpoint.secret, endpoint: view(endpoint) } } });
        }
        case 'RotateWebhookSecret': {
          const endpoint = endpoints.find((each) => each.id === variables.id)!;
          endpoint.secret = newSecret();
          endpoint.rotations.push(variables.expiresPreviousInSeconds);
          return sendJson(res, 200, { data: { rotateWebhookSecret: { secret: endpoint.secret, endpoint: view(endpoint) } } });
        }
        case 'UpdateWebhookEndpoint': {
          const endpoint = endpoints.find((each) => each.id === variables.input.id)!;
          if (variables.input.enabled !== undefined) endpoint.status = variables.input.enabled ? 'ENABLED' : 'DISABLED';
          return sendJson(res, 200, { data: { updateWebhookEndpoint: view(endpoint) } });
        }
        default:
          return sendJson(res, 400, { errors: [{ message: 'unexpected', extensions: { code: 'BAD_USER_INPUT' } }] });
      }
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { graphqlUrl: `http://127.0.0.1:${port}/graphql`, endpoints, calls, refusals, stop: () => close(server, 0) };
}

describe('ensureDemoWebhookEndpoint', () => {
  const receiverUrl = 'http://127.0.0.1:4005/webhooks';
  const stored = (over: Partial<StoredEndpoint>): StoredEndpoint => ({ id: 'we_kept', url: receiverUrl, events: ['PAYMENT_SUCCEEDED'], status: 'ENABLED', secret: 'whsec_old', rotations: [], ...over });

  test('creates an endpoint for every event when the demo partner has none for the URL', async () => {
    const gateway = await fakeGateway([stored({ id: 'we_other', url: 'https://elsewhere.example/hooks' })]);
    try {
      const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl: gateway.graphqlUrl, apiKey: 'demo', receiverUrl });
      expect(endpoint).toEqual({ id: 'we_2', secret: gateway.endpoints[1]!.secret, created: true });
      expect(gateway.endpoints[1]).toMatchObject({ url: receiverUrl, events: DEMO_WEBHOOK_EVENTS, status: 'ENABLED' });
      expect(DEMO_WEBHOOK_EVENTS).toHaveLength(9);
    } finally {
      await gateway.stop();
    }
  });

  test('keeps an endpoint it registered before: a new secret at once, enabled again if the graph disabled it, and no second endpoint', async () => {
    for (const status of ['ENABLED', 'DISABLED'] as const) {
      const gateway = await fakeGateway([stored({ status })]);
      try {
        const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl: gateway.graphqlUrl, apiKey: 'demo', receiverUrl });
        expect(endpoint).toEqual({ id: 'we_kept', secret: gateway.endpoints[0]!.secret, created: false });
        expect(endpoint.secret).not.toBe('whsec_old');
        expect(gateway.endpoints.map((each) => [each.id, each.status, each.rotations])).toEqual([['we_kept', 'ENABLED', [0]]]);
        expect(gateway.calls.includes('UpdateWebhookEndpoint')).toBe(status === 'DISABLED');
      } finally {
        await gateway.stop();
      }
    }
  });

  test('tries again while the graph is not answering yet, and gives up at once on a refusal', async () => {
    const gateway = await fakeGateway();
    try {
      gateway.refusals.push({ status: 502 }, { status: 200, code: 'SUBGRAPH_UNAVAILABLE' });
      const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl: gateway.graphqlUrl, apiKey: 'demo', receiverUrl, retryDelayMs: 1 });
      expect(endpoint.created).toBe(true);
      expect(gateway.calls).toEqual(['WebhookEndpoints', 'WebhookEndpoints', 'WebhookEndpoints', 'CreateWebhookEndpoint']);

      gateway.calls.length = 0;
      gateway.refusals.push({ status: 200, code: 'WEBHOOK_URL_NOT_ALLOWED' });
      await expect(ensureDemoWebhookEndpoint({ graphqlUrl: gateway.graphqlUrl, apiKey: 'demo', receiverUrl: 'http://127.0.0.1:1/webhooks', retryDelayMs: 1 })).rejects.toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED' });
      expect(gateway.calls).toEqual(['WebhookEndpoints']);

      gateway.calls.length = 0;
      gateway.refusals.push({ status: 502 }, { status: 502 });
      await expect(ensureDemoWebhookEndpoint({ graphqlUrl: gateway.graphqlUrl, apiKey: 'demo', receiverUrl, attempts: 2, retryDelayMs: 1 })).rejects.toMatchObject({ code: 'HTTP_502' });
      expect(gateway.calls).toHaveLength(2);
    } finally {
      await gateway.stop();
    }
  });
});

describe('the demo receiver', () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const eventBody = (id: string, paymentVersion: number, type = 'payment.succeeded') =>
    JSON.stringify({
      id,
      type,
      createdAt: '2026-12-04T10:00:05.000Z',
      paymentVersion,
      data: {
        payment: { id: 'pay_demo', status: 'SUCCEEDED', amount: { amountMinor: 100, currency: 'CNY' }, refunds: [] },
        ...(type.startsWith('refund.') ? { refund: { id: 'ref_demo', status: 'SUCCEEDED', amount: { amountMinor: 50, currency: 'CNY' }, reason: null, createdAt: '2026-12-04T10:01:00.000Z' } } : {}),
      },
    });

  test('answers 503 until it has a secret, then lists what verifies, newest first, each event once, at most maxEvents', async () => {
    const receiver = await startDemoWebhookReceiver({ port: 0, maxEvents: 2 });
    const secret = newSecret();
    const post = async (body: string, signature: string) =>
      (await fetch(receiver.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'interop-signature': signature }, body })).status;
    try {
      const first = eventBody('evt_1', 1, 'payment.created');
      expect(await post(first, signWebhookPayload([secret], nowSeconds(), first))).toBe(503);
      receiver.setSecrets([secret]);
      expect(await post(first, signWebhookPayload([secret], nowSeconds(), first))).toBe(200);
      expect(await post(first, signWebhookPayload([secret], nowSeconds(), first))).toBe(200);
      const refund = eventBody('evt_2', 2, 'refund.succeeded');
      expect(await post(refund, signWebhookPayload([secret], nowSeconds(), refund))).toBe(200);
      expect(await post(refund, signWebhookPayload([newSecret()], nowSeconds(), refund))).toBe(400);
      expect(await post(refund, signWebhookPayload([secret], nowSeconds() - 3_600, refund))).toBe(400);
      expect(await post('{"id":"evt_x"}', signWebhookPayload([secret], nowSeconds(), '{"id":"evt_x"}'))).toBe(400);

      const listed = (await (await fetch(receiver.eventsUrl)).json()) as { events: { id: string; type: string; deliveries: number; refundId: string | null }[]; refused: number };
      expect(listed.events.map(({ id, type, deliveries, refundId }) => [id, type, deliveries, refundId])).toEqual([
        ['evt_2', 'refund.succeeded', 1, 'ref_demo'],
        ['evt_1', 'payment.created', 2, null],
      ]);
      expect(listed.refused).toBe(3);

      const third = eventBody('evt_3', 3);
      expect(await post(third, signWebhookPayload([secret], nowSeconds(), third))).toBe(200);
      expect(receiver.events().map((event) => event.id)).toEqual(['evt_3', 'evt_2']);
      expect((await fetch(receiver.webhookUrl.replace('/webhooks', '/health'))).status).toBe(200);
      expect((await fetch(receiver.webhookUrl)).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });
});
