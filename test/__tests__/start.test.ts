// `npm start` as a newcomer meets it: the whole product on the ports the
// environment names, Sandbox on the gateway's root URL, the demo app on /demo/,
// data under DATA_DIR, and every process gone after SIGTERM.
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL } from '../harness';
import { finished, freePort, runTs, waitForOutput } from '../processes';

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

test('starts the graph and the sandbox wallet on the configured ports, serves Sandbox and the demo app, and stops every process on SIGTERM', async () => {
  const ports = {
    GATEWAY_PORT: await freePort(),
    COMMERCE_PORT: await freePort(),
    PAYMENTS_PORT: await freePort(),
    MERCHANTS_PORT: await freePort(),
    WALLET_PORT: await freePort(),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'interop-start-'));
  const child = runTs('scripts/start.ts', [], {
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    DATA_DIR: dataDir,
    MERCHANT_COUNT: '120',
    DATABASE_URL: undefined,
    DEMO_API_KEY: 'start-test-demo-key',
  });
  const exit = finished(child, 120_000);
  const ready = await waitForOutput(child, /Interop Graph is ready: \S+[\s\S]*Demo web app[^\n]*/, 110_000);
  expect(ready).toContain(`http://localhost:${ports.GATEWAY_PORT}/`);
  expect(ready).toContain(`http://localhost:${ports.GATEWAY_PORT}/demo/`);

  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}/`;
  const response = await postGraphQL<{ merchant: { storefronts: { platform: { name: string }; paymentOptions: unknown[] }[] } }>(
    gateway,
    /* GraphQL */ `{ merchant(id: "m0000001") { storefronts { platform { name } paymentOptions { tool { name } } } } }`,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.merchant.storefronts.length).toBeGreaterThan(0);

  const page = await fetch(gateway, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('embeddable-sandbox');
  expect(html).toContain('TaobaoCheckout');

  const demo = await fetch(`${gateway}demo/`);
  expect(demo.status).toBe(200);
  expect(await demo.text()).toContain('<div id="root">');
  expect(await (await fetch(`${gateway}demo/config.json`)).json()).toEqual({ apiKey: 'start-test-demo-key' });

  expect(existsSync(join(dataDir, 'merchants'))).toBe(true);
  expect(existsSync(join(dataDir, 'payments'))).toBe(true);
  expect((await fetch(`http://127.0.0.1:${ports.WALLET_PORT}/health`)).status).toBe(200);

  child.kill('SIGTERM');
  expect((await exit).code).toBe(0);
  for (const port of Object.values(ports)) expect(await refuses(port)).toBe(true);
}, 150_000);
