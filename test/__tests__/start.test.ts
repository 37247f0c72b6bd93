// `npm start` as a newcomer meets it, in a fresh clone (no web/dist, no
// .data) with nothing set but the ports: the whole product in development
// mode, Sandbox on the gateway's root URL, the demo app on /demo/, the demo
// partner's webhook receiver, data under ./.data, a crashed service restarted while the rest keeps serving, and
// every process gone after a SIGTERM to npm alone (as a process manager or an
// IDE stops what it started), which npm's shell does not pass on.
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { postGraphQL } from '@interop/testing/harness';
import { freshCheckout } from '@interop/testing/fresh-checkout';
import { descendant, eventually as eventuallyTrue, finished, freePort, groupAlive, runNpm, waitForOutput } from '@interop/testing/processes';

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const PLATFORM_AND_MERCHANT = /* GraphQL */ `{ platform(id: "taobao") { name } merchant(id: "m0000001") { name } }`;

let checkout: string;
beforeAll(() => {
  checkout = freshCheckout();
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

test('a fresh clone starts the graph in development mode, serves Sandbox and the demo app, restarts a crashed service, and stops every process on a SIGTERM to npm alone', async () => {
  const ports = {
    GATEWAY_PORT: await freePort(),
    COMMERCE_PORT: await freePort(),
    PAYMENTS_PORT: await freePort(),
    MERCHANTS_PORT: await freePort(),
    WALLET_PORT: await freePort(),
    DEMO_WEBHOOK_RECEIVER_PORT: await freePort(),
  };
  expect(existsSync(join(checkout, 'web', 'dist'))).toBe(false);
  // Nothing set that a new user would not have: no secrets, no keys, no NODE_ENV (jest sets it to test).
  const child = runNpm(
    'start',
    {
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      MERCHANT_COUNT: '120',
      DATA_DIR: undefined,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      NODE_ENV: undefined,
      SUBGRAPH_SIGNING_SECRET: undefined,
      GATEWAY_API_KEYS: undefined,
      PGLITE_SHARED_BUFFERS: undefined,
      DEMO_API_KEY: 'start-test-demo-key',
    },
    checkout,
  );
  const exit = finished(child, 170_000);
  const ready = await waitForOutput(child, /Interop Graph is ready: \S+[\s\S]*Demo web app[^\n]*/, 150_000);
  expect(ready).toContain(`http://localhost:${ports.GATEWAY_PORT}/`);
  expect(ready).toContain(`http://localhost:${ports.GATEWAY_PORT}/demo/`);
  expect(existsSync(join(checkout, 'web', 'dist', 'index.html'))).toBe(true);

  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}/`;
  // Told ready once the gateway's warm-up has run: it is ready, not warming.
  expect(await (await fetch(`${gateway}ready`)).json()).toMatchObject({ status: 'ready' });
  const response = await postGraphQL<{ merchant: { storefronts: { platform: { name: string }; paymentOptions: unknown[] }[] } }>(
    gateway,
    /* GraphQL */ `{ merchant(id: "m0000001") { storefronts { platform { name } paymentOptions { tool { name } } } } }`,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.merchant.storefronts.length).toBeGreaterThan(0);
  // Introspection is on outside production: the demo build did not switch the gateway to production.
  const introspection = await postGraphQL<{ __schema: { queryType: { name: string } } }>(gateway, '{ __schema { queryType { name } } }');
  expect(introspection.errors).toBeUndefined();
  expect(introspection.data?.__schema.queryType.name).toBe('Query');

  const page = await fetch(gateway, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('embeddable-sandbox');
  expect(html).toContain('TaobaoCheckout');

  const guides = await fetch(`${gateway}docs/`);
  expect(guides.status).toBe(200);
  expect(guides.headers.get('content-type')).toContain('text/html');
  const demo = await fetch(`${gateway}demo/`);
  expect(demo.status).toBe(200);
  expect(await demo.text()).toContain('<div id="root">');
  expect(await (await fetch(`${gateway}demo/config.json`)).json()).toEqual({ apiKey: 'start-test-demo-key' });
  // The demo's development server (Vite, on its own origin) may call the graph; other origins may not.
  const preflight = (origin: string) => fetch(gateway, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
  const fromVite = await preflight('http://localhost:5173');
  expect(fromVite.status).toBe(204);
  expect(fromVite.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();

  expect(existsSync(join(checkout, '.data', 'merchants'))).toBe(true);
  expect(existsSync(join(checkout, '.data', 'payments'))).toBe(true);
  expect(await healthy(ports.WALLET_PORT)).toBe(true);
  // The demo partner's receiver is registered with the graph, and lists the events of the demo partner's payments it accepted.
  const receiverUrl = `http://127.0.0.1:${ports.DEMO_WEBHOOK_RECEIVER_PORT}`;
  const demoKey = { 'x-api-key': 'start-test-demo-key' };
  // It is registered just after the graph is ready.
  const endpoints = async () => (await postGraphQL<{ webhookEndpoints: { url: string; status: string }[] }>(gateway, '{ webhookEndpoints { url status } }', {}, demoKey)).data?.webhookEndpoints;
  await eventually(async () => ((await endpoints()) ?? []).length > 0, 20_000);
  expect(await endpoints()).toEqual([{ url: `${receiverUrl}/webhooks`, status: 'ENABLED' }]);
  const started = await postGraphQL<{ initiatePayment: { id: string } }>(
    gateway,
    `mutation { initiatePayment(input: { platformId: "taobao", merchantId: "m0000001", paymentToolId: "alipay", amount: { amountMinor: 1000, currency: CNY }, reference: "start-test", idempotencyKey: "start-test-1" }) { id } }`,
    {},
    demoKey,
  );
  const paymentId = started.data?.initiatePayment.id;
  expect(paymentId).toEqual(expect.any(String));
  const heard = async () => {
    const { events } = (await (await fetch(`${receiverUrl}/events`)).json()) as { events: { paymentId: string; type: string }[] };
    return events.filter((event) => event.paymentId === paymentId).map((event) => event.type);
  };
  await eventually(async () => (await heard()).length === 2, 20_000);
  expect(await heard()).toEqual(['payment.requires_action', 'payment.created']);

  // A service that dies is restarted; meanwhile the gateway answers what the others own.
  const commerce = descendant(child.pid!, 'subgraphs/commerce/src/main.ts');
  expect(commerce).toBeDefined();
  process.kill(commerce!, 'SIGKILL');
  await eventually(async () => !(await healthy(ports.COMMERCE_PORT)), 10_000);
  const partial = await postGraphQL<{ merchant: { name: string } | null }>(gateway, PLATFORM_AND_MERCHANT);
  expect(partial.data?.merchant?.name).toEqual(expect.any(String));
  await eventually(() => healthy(ports.COMMERCE_PORT), 60_000);
  const restarted = descendant(child.pid!, 'subgraphs/commerce/src/main.ts');
  expect(restarted).toBeDefined();
  expect(restarted).not.toBe(commerce);
  await eventually(async () => (await postGraphQL(gateway, PLATFORM_AND_MERCHANT)).errors === undefined, 30_000);
  expect(child.exitCode).toBeNull();

  child.kill('SIGTERM');
  await exit;
  await eventuallyTrue(() => !groupAlive(child.pid!), 30_000);
  for (const port of Object.values(ports)) expect(await refuses(port)).toBe(true);
}, 240_000);
