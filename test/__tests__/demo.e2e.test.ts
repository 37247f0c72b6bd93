// The demo web app in a real browser (Debian's chromium, driven by
// playwright-core): web/dist, built with Vite by jest's global setup when older
// than its sources (packages/testing/src/jest/global-setup.ts), served by the gateway at /demo over the
// whole graph. A visitor reads the interop map, finds a merchant that takes
// WeChat Pay on Taobao, pays in the sandbox wallet, watches the payment's
// status arrive live, and the merchant refunds it; on a phone (a touch screen
// 390 px wide) the same, by name too, on every platform of the story.
// Screenshots land in artefacts/e2e/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type WebSocket } from 'playwright-core';
import type { RunningGateway } from '@interop/gateway';
import { digestKey } from '../../gateway/src/auth/api-keys';
import { loadTrustedDocuments } from '../../gateway/src/trusted-documents';
import { ROOT, startGatewayFor, startGraph, TEST_GATEWAY_OPTIONS, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { PARTNER_A, PARTNER_B } from '@interop/testing/identities';
import { decide, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO } from '@interop/testing/payments-helpers';
import { freePort } from '@interop/testing/processes';
import { decodedBody, rawRequest } from '@interop/testing/raw-http';
import { DEMO_DIST } from '../../scripts/demo-build';
import { startDemoWebhookReceiver, type DemoWebhookReceiver } from '../../scripts/demo-webhook-receiver';
import { ensureDemoWebhookEndpoint } from '../../scripts/demo-webhooks';

useEmbeddedBackends();

const CHROMIUM = '/usr/bin/chromium';
const ARTEFACTS = join(ROOT, 'artefacts', 'e2e');
// The demo acts as a partner with every payment scope, as `npm start`'s demo key does.
const API_KEY = PARTNER_A.key;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
/** A phone as Chromium emulates one: its screen, a touch screen as the main pointer, and a buyer far from China's time zone. */
const PHONE_DEVICE: BrowserContextOptions = { viewport: PHONE, isMobile: true, hasTouch: true, timezoneId: 'America/New_York', locale: 'en-US' };

let graph: Graph;
let gateway: RunningGateway;
let browser: Browser;
let demoUrl: string;
let webhookReceiver: DemoWebhookReceiver;
const manifest = loadTrustedDocuments(join(ROOT, 'trusted-documents.json'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing. The demo's end-to-end test drives Debian's chromium package: apt-get install -y chromium`);
  }
  mkdirSync(ARTEFACTS, { recursive: true });
  // As under npm start, payments may send to the demo partner's receiver on 127.0.0.1.
  graph = await startGraph({ merchantCount: 300, partnerWebhooks: { allowInsecure: true, allowPrivate: true } });
  // The demo's key may send only trusted documents: every request the app makes must name one of the manifest's.
  const apiKeys = TEST_GATEWAY_OPTIONS.auth.apiKeys.map((key) => (key.sha256 === digestKey(API_KEY) ? { ...key, trustedDocuments: 'enforce' as const } : key));
  gateway = await startGatewayFor(graph, {}, {
    demo: { distDir: DEMO_DIST, apiKey: API_KEY },
    auth: { ...TEST_GATEWAY_OPTIONS.auth, apiKeys },
    trustedDocuments: { mode: 'off', manifest },
    docsDir: join(ROOT, 'docs'),
  });
  demoUrl = `http://127.0.0.1:${gateway.port}/demo/`;
  // The receiver npm start runs, registered for the demo key's partner as npm start registers it (through the graph's
  // own gateway: this one lets the demo key send only the app's documents).
  webhookReceiver = await startDemoWebhookReceiver({ port: 0 });
  const endpoint = await ensureDemoWebhookEndpoint({ graphqlUrl: new URL('graphql', graph.gateway.url).href, apiKey: API_KEY, receiverUrl: webhookReceiver.webhookUrl });
  webhookReceiver.setSecrets([endpoint.secret]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await webhookReceiver?.close();
  await gateway?.stop();
  await graph?.stop();
});

/** A graphql-ws connection the page opened to the gateway, as the page sent and received it. */
interface LiveSocket {
  socket: WebSocket;
  sent: GraphQLWsMessage[];
  received: GraphQLWsMessage[];
}

interface GraphQLWsMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/** What the page asked the graph: each POSTed operation's name, and each GraphQL WebSocket. */
interface Traffic {
  operations: string[];
  sockets: LiveSocket[];
}

const isGraphQL = (url: string | URL) => new URL(url).pathname === '/graphql';

/**
 * A page that records what a visitor would never want to see (script errors,
 * and GraphQL requests or WebSockets without the demo's key), and what it
 * asked the graph.
 */
async function openPage(
  device: { width: number; height: number } | BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; problems: string[]; traffic: Traffic }> {
  const context = await browser.newContext('width' in device ? { viewport: device } : device);
  const page = await context.newPage();
  const problems: string[] = [];
  const traffic: Traffic = { operations: [], sockets: [] };
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!isGraphQL(request.url())) return;
    if (request.headers()['x-api-key'] !== API_KEY) problems.push(`GraphQL request without the demo's key: ${request.postData() ?? ''}`);
    // The app names its documents by hash: the manifest gives their text.
    const sent = request.postDataJSON() as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } } | null;
    const hash = sent?.extensions?.persistedQuery?.sha256Hash;
    const query = sent?.query ?? (hash ? manifest.text(hash) : undefined) ?? '';
    traffic.operations.push(/(?:^|\s)(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous');
  });
  page.on('websocket', (socket) => {
    if (!isGraphQL(socket.url())) return;
    const live: LiveSocket = { socket, sent: [], received: [] };
    traffic.sockets.push(live);
    const parse = (payload: string | Buffer) => JSON.parse(payload.toString()) as GraphQLWsMessage;
    socket.on('framesent', ({ payload }) => {
      const message = parse(payload);
      live.sent.push(message);
      // A browser cannot put headers on a WebSocket: the key travels in connection_init.
      if (message.type === 'connection_init' && (message.payload as Record<string, unknown> | undefined)?.['x-api-key'] !== API_KEY) {
        problems.push(`GraphQL WebSocket without the demo's key: ${payload.toString()}`);
      }
    });
    socket.on('framereceived', ({ payload }) => live.received.push(parse(payload)));
  });
  return { context, page, problems, traffic };
}

/** The statuses a graphql-ws connection delivered for payment `id`, in order. */
function liveStatuses(live: LiveSocket, id: string): string[] {
  const subscriptions = new Set(
    live.sent
      .filter((message) => message.type === 'subscribe' && (message.payload as { variables?: { id?: string } }).variables?.id === id)
      .map((message) => message.id),
  );
  return live.received
    .filter((message) => message.type === 'next' && subscriptions.has(message.id))
    .map((message) => (message.payload as { data: { paymentUpdated: { status: string } } }).data.paymentUpdated.status);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });

/** Nothing on the page is wider than the phone, so it never scrolls sideways. */
const pageWidth = (page: Page) => page.locator('html').evaluate((html) => html.scrollWidth);

/** Where the element is on the screen, and the screen's size. */
const placeOf = (element: Locator) =>
  element.evaluate((node) => {
    const view = node.ownerDocument.defaultView!;
    const { top, bottom, left, right } = node.getBoundingClientRect();
    return { top, bottom, left, right, viewport: { width: view.innerWidth, height: view.innerHeight } };
  });

/** Waits until the whole element is on the screen (it may be scrolling there smoothly); fails, saying where it is, if it never gets there. */
async function onScreen(element: Locator): Promise<Awaited<ReturnType<typeof placeOf>>> {
  const handle = await element.elementHandle();
  try {
    await element.page().waitForFunction(
      (node) => {
        const view = node!.ownerDocument.defaultView!;
        const box = node!.getBoundingClientRect();
        return box.top >= 0 && box.left >= 0 && box.bottom <= view.innerHeight && box.right <= view.innerWidth;
      },
      handle,
      { timeout: 10_000 },
    );
  } catch {
    throw new Error(`Never wholly on the screen: ${JSON.stringify(await placeOf(element))}`);
  } finally {
    await handle?.dispose();
  }
  return placeOf(element);
}

/** The page's icon, as the browser fetches it from the page's `<link rel="icon">`. */
async function favicon(page: Page): Promise<{ status: number; type: string | undefined; bytes: number }> {
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  if (!href) throw new Error('The page names no icon');
  const response = await page.request.get(new URL(href, page.url()).toString());
  return { status: response.status(), type: response.headers()['content-type'], bytes: (await response.body()).length };
}

/** What a merchants store query answers, for checking what the page shows. */
async function countWhere(where: string): Promise<number> {
  const [row] = await graph.stores.merchants.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM merchant m WHERE ${where}`);
  return row?.count ?? 0;
}

test('the interop map shows each platform against each tool, the story in dates and the interoperating wallets', async () => {
  const { context, page, problems } = await openPage(DESKTOP);
  await page.goto(demoUrl);
  const cell = page.locator('td[data-cell="Taobao × WeChat Pay"]');
  await cell.waitFor();
  expect(await cell.innerText()).toMatch(/Rolling out\s+2024-09-04/);
  expect(await cell.getAttribute('class')).toContain('status-rolling-out');
  // Colour follows status: the rollout does not look like Taobao's live Alipay, nor like a tool Taobao has no rule for.
  const colour = (label: string) => page.locator(`td[data-cell="${label}"]`).evaluate((td) => td.ownerDocument.defaultView?.getComputedStyle(td).backgroundColor);
  const [rollingOut, live, none] = await Promise.all([colour('Taobao × WeChat Pay'), colour('Taobao × Alipay'), colour('Taobao × JD Pay')]);
  expect(new Set([rollingOut, live, none]).size).toBe(3);
  expect(await page.locator('td[data-cell="Ele.me × WeChat Pay"]').innerText()).toMatch(/Live\s+2021/);

  await cell.getByRole('button').hover();
  const tooltip = page.getByRole('tooltip');
  await tooltip.waitFor();
  const hover = await tooltip.innerText();
  expect(hover).toContain('Taobao × WeChat Pay');
  expect(hover).toContain('Rolling out since 2024-09-04');
  expect(hover).toContain('merchants that meet the relevant regulations and requirements of both platforms');
  await shot(page, '01-map-desktop-hover');

  const dated = (date: string) => page.locator(`.timeline > li[data-date="${date}"]`).innerText();
  expect(await dated('2021')).toContain('WeChat Pay on Damai, Ele.me, Kaola, Shuqi and Youku');
  expect(await dated('2024-08-19')).toContain('Direct jump to WeChat to pay');
  const opening = await dated('2024-09-04');
  expect(opening).toContain('WeChat Pay on Taobao');
  expect(opening).toContain('Meituan Hotels and Meituan Waimai open inside the Alipay app');

  const caption = await page.locator('.wallet-graph figcaption').innerText();
  expect(caption).toContain('WeChat Pay interoperates with');
  expect(caption).toContain('UnionPay QuickPass');
  expect(await page.locator('.wallet-graph line').count()).toBe(5);

  // On a phone the matrix scrolls sideways inside its box; the page itself does not.
  await page.setViewportSize(PHONE);
  await cell.getByRole('button').click();
  await page.locator('.cell-details').getByText('Direct jump to WeChat to pay').waitFor();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '02-map-phone');

  expect(problems).toEqual([]);
  await context.close();
}, 90_000);

test('on a phone a buyer finds a merchant taking WeChat Pay on Taobao, pays in the sandbox wallet, sees it arrive live, and the merchant refunds it', async () => {
  const { context, page, problems, traffic } = await openPage(PHONE_DEVICE);
  await page.goto(`${demoUrl}merchants`);
  await page.getByLabel('Platform').selectOption({ label: 'Taobao' });
  const count = page.locator('.result-count');
  await count.filter({ hasText: /^Showing 20 of/ }).waitFor();
  const total = Number(/of ([\d,]+)/.exec(await count.innerText())?.[1]?.replace(/,/g, ''));
  expect(total).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Show more merchants' }).click();
  await count.filter({ hasText: `Showing ${Math.min(40, total)} of` }).waitFor();
  expect(await page.locator('.merchant-card').count()).toBe(Math.min(40, total));

  await page.getByLabel('Buyers can pay with').selectOption({ label: 'WeChat Pay' });
  await count.filter({ hasText: /^Showing \d+ of/ }).waitFor();
  await page.waitForURL(/tool=wechat-pay/);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '03-merchants-phone');
  await page.locator('.merchant-card').first().getByRole('link', { name: 'Check out here' }).click();

  // The platform's order: Alipay first and preselected, WeChat Pay on offer; tools Taobao does not take, with the reason.
  const heading = page.getByRole('heading', { name: /^Pay at .+ on Taobao$/ });
  await heading.waitFor();
  const merchantName = /^Pay at (.+) on Taobao$/.exec(await heading.innerText())?.[1] ?? '';
  // A phone checks out in its own browser (H5), where the wallet opens by a jump, not by a QR code to scan with itself.
  expect(await page.getByLabel('The buyer is on').inputValue()).toBe('H5');
  // Each radio button keeps its size beside the longest tool name.
  const radios = await page.getByRole('radio').all();
  expect(radios.length).toBeGreaterThan(1);
  for (const radio of radios) {
    const box = await radio.boundingBox();
    expect([box?.width, box?.height].map((side) => (side ?? 0) >= 20)).toEqual([true, true]);
  }
  const options = await page.locator('.option .option-name').allInnerTexts();
  expect(options[0]).toMatch(/^Alipay/);
  expect(options.some((name) => name.startsWith('WeChat Pay'))).toBe(true);
  expect(await page.getByRole('radio', { name: /Alipay/ }).isChecked()).toBe(true);
  expect(await page.locator('.unavailable-list li[data-reason="PLATFORM_NOT_ACCEPTING"]').filter({ hasText: 'JD Pay' }).innerText()).toContain(
    'Not taken on this platform',
  );
  await page.getByRole('radio', { name: /WeChat Pay/ }).check();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '04-checkout-phone');
  await page.getByRole('button', { name: 'Pay ¥199.00 with WeChat Pay' }).click();

  await page.waitForURL(/\/demo\/payments\/[^/]+$/);
  const paymentId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
  await page.locator('[data-status="REQUIRES_ACTION"]').waitFor();
  expect(await page.locator('[data-watch="live"]').innerText()).toContain('Live');
  // On the phone's own browser the wallet opens from the page; there is no QR code to scan with the same phone.
  const openWallet = page.getByRole('link', { name: 'Open WeChat Pay to approve' });
  await openWallet.waitFor();
  expect(await page.getByRole('img', { name: /^QR code/ }).count()).toBe(0);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '05-payment-waiting-phone');

  const [wallet] = await Promise.all([context.waitForEvent('page'), openWallet.click()]);
  await wallet.getByRole('button', { name: 'Approve' }).waitFor();
  // The buyer reads names, the amount in yuan and the deadline in their own time, never the graph's ids or an ISO time.
  const walletText = await wallet.locator('body').innerText();
  expect(walletText).toContain('¥199.00');
  expect(walletText).toContain(merchantName);
  expect(walletText).toContain('Taobao');
  expect(walletText).not.toMatch(/\bm\d{7}\b|\btaobao\b|\d{4}-\d{2}-\d{2}T/);
  const deadline = wallet.locator('time');
  const expiresAt = new Date((await deadline.getAttribute('datetime')) ?? '');
  const newYork = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).formatToParts(expiresAt);
  const part = (type: string) => newYork.find((entry) => entry.type === type)?.value;
  expect(await deadline.innerText()).toMatch(new RegExp(`${part('hour')}:${part('minute')}.*${part('timeZoneName')}`));
  expect(await favicon(wallet)).toMatchObject({ status: 200, type: 'image/svg+xml' });
  expect(await pageWidth(wallet)).toBeLessThanOrEqual(PHONE.width);
  await shot(wallet, '06-wallet-phone');
  await wallet.getByRole('button', { name: 'Approve' }).click();
  await wallet.getByRole('heading', { name: 'Payment approved' }).waitFor();
  await wallet.close();

  // The wallet's webhooks reach the page without a reload, pushed over one WebSocket: the page never asks for the payment itself.
  await page.locator('[data-status="SUCCEEDED"]').waitFor({ timeout: 20_000 });
  expect(await page.locator('.events').innerText()).toMatch(/Processing[\s\S]*Paid/);
  expect(traffic.sockets).toHaveLength(1);
  const [live] = traffic.sockets as [LiveSocket];
  expect(liveStatuses(live, paymentId)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  expect(traffic.operations).not.toContain('FollowPayment');
  await shot(page, '07-payment-succeeded-phone');

  // Leaving the payment ends its subscription, and with it the connection.
  await page.getByRole('link', { name: /’s payments$/ }).click();
  if (!live.socket.isClosed()) await live.socket.waitForEvent('close');
  expect(live.sent.filter((message) => message.type === 'complete').map((message) => message.id)).toEqual(
    live.sent.filter((message) => message.type === 'subscribe').map((message) => message.id),
  );
  const row = page.locator(`[data-payment="${paymentId}"]`);
  await row.getByRole('button', { name: 'Refund' }).click();
  await row.getByRole('button', { name: 'Refund ¥199.00' }).click();
  await row.locator('[data-status="REFUNDED"]').waitFor({ timeout: 20_000 });
  expect(await row.innerText()).toContain('refunded ¥199.00');
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '08-merchant-refunded-phone');

  // The demo partner's receiver heard the payment and the refund, and the merchant page lists each delivery with its answer.
  const refundDelivery = page.locator(`.delivery-row[data-delivery-payment="${paymentId}"][data-event-type="refund.succeeded"] [data-delivery-status="DELIVERED"]`);
  const refreshUntil = Date.now() + 20_000;
  while ((await refundDelivery.count()) === 0 && Date.now() < refreshUntil) {
    await page.getByRole('button', { name: 'Refresh deliveries' }).click();
    await refundDelivery.waitFor({ timeout: 1_000 }).catch(() => undefined);
  }
  expect(await refundDelivery.count()).toBe(1);
  const listed = page.locator(`.delivery-row[data-delivery-payment="${paymentId}"]`);
  expect(await listed.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-type')))).toEqual([
    'refund.succeeded',
    'payment.succeeded',
    'payment.processing',
    'payment.requires_action',
    'payment.created',
  ]);
  expect(await listed.first().innerText()).toContain('200');
  expect(webhookReceiver.events().filter((event) => event.paymentId === paymentId).map((event) => event.type)).toEqual(
    expect.arrayContaining(['payment.created', 'payment.requires_action', 'payment.processing', 'payment.succeeded', 'refund.succeeded']),
  );
  await shot(page, '09-merchant-webhooks-phone');

  const settled = await graph.query<{ payment: { status: string; refundedAmount: { amountMinor: number }; tool: { id: string }; platform: { id: string } } }>(
    `query ($id: ID!) { payment(id: $id) { status refundedAmount { amountMinor } tool { id } platform { id } } }`,
    { id: paymentId },
  );
  expect(settled.data?.payment).toEqual({ status: 'REFUNDED', refundedAmount: { amountMinor: 19_900 }, tool: { id: 'wechat-pay' }, platform: { id: 'taobao' } });
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

test('on a phone, tapping a map cell shows its history on the screen', async () => {
  const { context, page, problems } = await openPage(PHONE_DEVICE);
  await page.goto(demoUrl);
  expect(await favicon(page)).toMatchObject({ status: 200, type: 'image/svg+xml' });
  await page.locator('td[data-cell="Taobao × WeChat Pay"]').getByRole('button').tap();
  const details = page.locator('.cell-details');
  await details.getByText('Direct jump to WeChat to pay').waitFor();
  const box = await onScreen(details);
  expect(box.bottom - box.top).toBeGreaterThan(0);
  // Another cell brings its own history into view the same way.
  await page.locator('td[data-cell="Ele.me × WeChat Pay"]').getByRole('button').tap();
  await details.getByRole('heading', { name: 'Ele.me × WeChat Pay' }).waitFor();
  await onScreen(details);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '11-map-cell-phone');
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test('on a phone a buyer finds merchants by name, and pays on Youku and on Shuqi in their own stores', async () => {
  const { context, page, problems } = await openPage(PHONE_DEVICE);
  await page.goto(`${demoUrl}merchants`);
  const count = page.locator('.result-count');
  await count.filter({ hasText: /^Showing/ }).waitFor();

  // Any case, anywhere in the name, and the URL keeps the search.
  await page.getByLabel('Name contains').fill('TEA SHOP');
  await page.waitForURL(/name=TEA\+SHOP/);
  const teaShops = await countWhere(`position('tea shop' in lower(m.name)) > 0`);
  expect(teaShops).toBeGreaterThan(0);
  await count.filter({ hasText: `of ${teaShops.toLocaleString('en')} merchant` }).waitFor();
  for (const name of await page.locator('.merchant-card .merchant-name').allInnerTexts()) expect(name.toLowerCase()).toContain('tea shop');
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, '12-merchants-by-name-phone');

  // A platform's own store sells there, so a payment can start on every platform of the story.
  const payIn = async (search: () => Promise<unknown>, store: string, platform: string) => {
    await page.goto(`${demoUrl}merchants`);
    await search();
    const card = page.locator('.merchant-card').filter({ hasText: store });
    await card.waitFor();
    expect(await page.locator('.merchant-card').count()).toBe(1);
    await card.getByRole('link', { name: 'Check out here' }).click();
    await page.getByRole('heading', { name: `Pay at ${store} on ${platform}` }).waitFor();
    expect(await page.getByLabel('The buyer is on').inputValue()).toBe('H5');
    const pay = page.getByRole('button', { name: /^Pay ¥199\.00 with / });
    await pay.waitFor();
    await pay.click();
    await page.waitForURL(/\/demo\/payments\/[^/]+$/);
    await page.locator('[data-status="REQUIRES_ACTION"]').waitFor();
    expect(await page.locator('.payment .muted').first().innerText()).toContain(`on ${platform}`);
  };
  await payIn(() => page.getByLabel('Name contains').fill('youku'), 'Youku VIP Membership', 'Youku');
  await shot(page, '13-payment-on-youku-phone');
  await payIn(() => page.getByLabel('Platform').selectOption({ label: 'Shuqi' }), 'Shuqi Bookstore', 'Shuqi');
  await shot(page, '14-payment-on-shuqi-phone');
  expect(problems).toEqual([]);
  await context.close();
}, 90_000);

test('on a computer the checkout defaults to a web page, where WeChat Pay shows a QR code to scan with the phone', async () => {
  const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  const { context, page, problems } = await openPage(DESKTOP);
  await page.goto(`${demoUrl}checkout?platform=taobao&merchant=${merchantId}`);
  await page.getByRole('heading', { name: /^Pay at .+ on Taobao$/ }).waitFor();
  expect(await page.getByLabel('The buyer is on').inputValue()).toBe('WEB');
  await page.getByRole('radio', { name: /WeChat Pay/ }).check();
  await page.getByRole('button', { name: 'Pay ¥199.00 with WeChat Pay' }).click();
  await page.getByRole('img', { name: 'QR code to pay with WeChat Pay' }).waitFor();
  await shot(page, '15-payment-qr-desktop');
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test('when the live connection drops, the payment page says so quietly and follows the payment by asking until it is paid', async () => {
  const created = await initiate(graph, { merchantId: await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO), amount: { amountMinor: 5_000, currency: 'CNY' } });
  const paymentId = created.data?.initiatePayment.id;
  if (!paymentId) throw new Error(`No payment: ${JSON.stringify(created.errors)}`);
  const { context, page, problems, traffic } = await openPage(PHONE);
  // The connection carries the payment as it is now, then is cut, as a proxy or a restarting gateway would cut it.
  await page.routeWebSocket(isGraphQL, (socket) => {
    const server = socket.connectToServer();
    server.onMessage((message) => {
      socket.send(message);
      if ((JSON.parse(message.toString()) as GraphQLWsMessage).type === 'next') socket.close({ code: 1011, reason: 'Cut' });
    });
  });
  await page.goto(`${demoUrl}payments/${encodeURIComponent(paymentId)}`);
  await page.locator('[data-status="REQUIRES_ACTION"]').waitFor();
  const note = page.locator('[data-watch="polling"]');
  await note.waitFor();
  expect(await note.innerText()).toBe('Live updates are unavailable, so this page checks the payment every second.');
  await shot(page, '10-payment-live-lost-phone');

  expect(await decide(graph, paymentId, 'approve')).toBe(200);
  await page.locator('[data-status="SUCCEEDED"]').waitFor({ timeout: 20_000 });
  expect(traffic.operations).toContain('FollowPayment');
  // Paid is where polling stops, and the note with it.
  expect(await note.count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test('when the payments service is down, the map says so in words and loads once asked again with it back', async () => {
  const down = `http://127.0.0.1:${await freePort()}/graphql`;
  const broken = await startGatewayFor(graph, { payments: down }, { demo: { distDir: DEMO_DIST, apiKey: API_KEY } });
  const { context, page } = await openPage(PHONE);
  try {
    await page.goto(`http://127.0.0.1:${broken.port}/demo/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('The payments service is not answering right now. Try again in a moment.');
    await shot(page, '09-map-payments-down-phone');

    // Same page, same tab: "Try again" asks the working gateway once the page's requests are sent there.
    await page.route('**/graphql', (route) => route.continue({ url: `http://127.0.0.1:${gateway.port}/graphql` }));
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.locator('td[data-cell="Taobao × WeChat Pay"]').waitFor();
  } finally {
    await context.close();
    await broken.stop();
  }
}, 60_000);

test('the gateway serves the app for its page paths, its settings, and nothing outside its folder', async () => {
  const base = `http://127.0.0.1:${gateway.port}`;
  const bare = await fetch(`${base}/demo`, { redirect: 'manual' });
  expect(bare.status).toBe(308);
  expect(bare.headers.get('location')).toBe('/demo/');

  const deepLink = await fetch(`${base}/demo/payments/pay_unknown`);
  expect(deepLink.status).toBe(200);
  expect(deepLink.headers.get('content-type')).toContain('text/html');
  expect(deepLink.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await deepLink.text()).toContain('<div id="root">');
  expect((await fetch(`${base}/demo/merchants/`)).headers.get('content-type')).toContain('text/html');

  const config = await fetch(`${base}/demo/config.json`);
  expect(await config.json()).toEqual({ apiKey: API_KEY });

  const html = await (await fetch(`${base}/demo/`)).text();
  const script = /src="(\/demo\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${base}${script}`);
  expect(asset.headers.get('content-type')).toContain('text/javascript');
  expect(asset.headers.get('cache-control')).toContain('immutable');
  // Compressed once at build time: the browser gets the encoding it accepts, the same script either way.
  const plain = await rawRequest(`${base}${script}`, 'GET', {});
  expect(plain.headers['content-encoding']).toBeUndefined();
  for (const [accepted, sent] of [['br, gzip', 'br'], ['gzip', 'gzip']]) {
    const compressed = await rawRequest(`${base}${script}`, 'GET', { 'accept-encoding': accepted! });
    expect(compressed.headers['content-encoding']).toBe(sent);
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 2);
    expect(Number(compressed.headers['content-length'])).toBe(compressed.bytes.length);
    expect(decodedBody(compressed).equals(plain.bytes)).toBe(true);
  }

  expect((await fetch(`${base}/demo/assets/missing.js`)).status).toBe(404);
  // Encoded slashes reach the server as they are, so these would name files outside web/dist without its check.
  expect((await fetch(`${base}/demo/%2Fetc%2Fpasswd`)).status).toBe(404);
  expect((await fetch(`${base}/demo/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  expect((await fetch(`${base}/demo/%E0%A4%A`)).status).toBe(400);
  expect((await fetch(`${base}/demo/`, { method: 'POST' })).status).toBe(405);
});

test('GraphiQL at /graphiql loads from the gateway alone, with the demo key and the example operation, and runs it', async () => {
  // The demo's key above may send only the manifest's documents; GraphiQL sends whatever is typed, so it runs against a key that may.
  const explorer = await startGatewayFor(graph, {}, { demo: { distDir: DEMO_DIST, apiKey: PARTNER_B.key } });
  const origin = `http://127.0.0.1:${explorer.port}`;
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    const elsewhere: string[] = [];
    const posts: { key: string | undefined; query: string }[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) elsewhere.push(request.url());
      if (url.pathname === '/graphql' && request.method() === 'POST') {
        const sent = request.postDataJSON() as { query?: string } | null;
        posts.push({ key: request.headers()['x-api-key'], query: sent?.query ?? '' });
      }
    });

    const introspected = page.waitForResponse((answer) => new URL(answer.url()).pathname === '/graphql' && (answer.request().postData() ?? '').includes('__schema'));
    const response = await page.goto(`${origin}/graphiql`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    const execute = page.locator('.graphiql-execute-button');
    await execute.waitFor();
    // The schema arrives by introspection before anything runs, so the editors know the types.
    expect((await introspected).status()).toBe(200);
    // The headers editor is open with the key in it, for the visitor to read or change.
    await page.locator('.graphiql-editor-tool', { hasText: PARTNER_B.key }).waitFor();
    await execute.click();
    await page.locator('.graphiql-response', { hasText: 'Taobao' }).waitFor({ timeout: 20_000 });
    await shot(page, '22-graphiql');

    const run = posts.find(({ query }) => !query.includes('__schema'));
    expect(run).toBeDefined();
    expect(run!.key).toBe(PARTNER_B.key);
    expect(posts.every(({ key }) => key === PARTNER_B.key)).toBe(true);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);

    const config = await fetch(`${origin}/graphiql/config.json`);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ apiKey: PARTNER_B.key });
    expect((await fetch(`${origin}/graphiql/elsewhere`)).status).toBe(404);
    expect((await fetch(`${origin}/graphiql`, { method: 'POST' })).status).toBe(405);
  } finally {
    await context.close();
    await explorer.stop();
  }
}, 60_000);

test('the landing page points to the demo, GraphiQL and the guides, and says so where Apollo Sandbox cannot load; the guides read as pages', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  // Offline, or behind a firewall that blocks Apollo's CDN.
  await page.route(/apollographql\.com/, (route) => route.abort());
  await page.goto(`http://127.0.0.1:${gateway.port}/`, { waitUntil: 'load' });
  const fallback = page.locator('#interop-fallback');
  await fallback.waitFor();
  expect(await fallback.locator('a[href="/demo/"]').isVisible()).toBe(true);
  expect(await page.locator('#interop-links a[href="/demo/"]').isVisible()).toBe(true);
  expect(await fallback.locator('a[href="/graphiql"]').isVisible()).toBe(true);
  expect(await page.locator('#interop-links a[href="/graphiql"]').isVisible()).toBe(true);
  expect(await page.locator('#interop-links a[href="/docs/"]').isVisible()).toBe(true);
  await shot(page, '21-landing-offline');
  // The guides, from the same origin, linked to one another as on disk.
  await fallback.locator('a[href="/docs/"]').click();
  await page.waitForURL(/\/docs\/$/);
  expect(await page.locator('h1').first().innerText()).toMatch(/\S/);
  await page.locator('a[href="operating.md"]').first().click();
  await page.waitForURL(/\/docs\/operating\.md$/);
  expect(await page.locator('h1').first().innerText()).toBe('Operating the gateway');
  await context.close();
  const base = `http://127.0.0.1:${gateway.port}`;
  for (const outside of ['/docs/..%2Fpackage.json', '/docs/examples/probe.ts', '/docs/missing.md']) expect((await fetch(`${base}${outside}`)).status).toBe(404);
  expect((await fetch(`${base}/docs/`, { method: 'POST' })).status).toBe(405);
});
