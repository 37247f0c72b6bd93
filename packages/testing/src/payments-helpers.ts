// Shared steps for the payment tests: pick demo merchants by their facts,
// start payments, act as the buyer in the sandbox wallet.
import { signatureHeader, SIGNATURE_HEADER } from '@interop/kit/security';
import type { Graph, GraphQLResponse } from './harness';
import { TEST_WALLET_SECRET } from './harness';
import { metricByLabel } from './metrics';
import { expectEventually, finished, runService, waitForOutput } from './processes';

/**
 * A payment's fields as the tests read them. Without `nextAction.qrCode`
 * unless asked (`withQrCode`): payments draws the image for whoever selects
 * it, a few milliseconds of CPU per payment that only the tests of the image
 * need to spend.
 */
const paymentFields = (withQrCode: boolean) => /* GraphQL */ `
  id status reference createdAt updatedAt channel
  amount { amountMinor currency formatted }
  refundedAmount { amountMinor }
  nextAction { type url ${withQrCode ? 'qrCode ' : ''}expiresAt }
  platform { id name } merchant { id name } tool { id name }
  events { fromStatus toStatus at cause }
  refunds { id status amount { amountMinor } }
`;

export const PAYMENT_FIELDS = paymentFields(false);

export interface PaymentView {
  id: string;
  status: string;
  reference: string;
  channel: string | null;
  amount: { amountMinor: number; currency: string; formatted: string };
  refundedAmount: { amountMinor: number };
  /** `qrCode` only when the operation asked for it (`withQrCode`). */
  nextAction: { type: string; url: string; qrCode?: string | null; expiresAt: string } | null;
  platform: { id: string; name: string };
  merchant: { id: string; name: string };
  tool: { id: string; name: string };
  events: { fromStatus: string | null; toStatus: string; at: string; cause: string }[];
  refunds: { id: string; status: string; amount: { amountMinor: number } }[];
}

const initiateMutation = (withQrCode: boolean) =>
  /* GraphQL */ `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { ${paymentFields(withQrCode)} } }`;

export interface InitiateInput {
  platformId: string;
  merchantId: string;
  paymentToolId: string;
  amount: { amountMinor: number; currency: string };
  reference: string;
  idempotencyKey: string;
  channel?: string;
}

let keys = 0;
export const freshKey = (label = 'key') => `${label}-${process.pid}-${Date.now()}-${(keys += 1)}`;

export async function merchantWhere(graph: Graph, where: string): Promise<string> {
  const [row] = await graph.stores.merchants.db.query<{ id: string }>(`SELECT m.id FROM merchant m WHERE ${where} ORDER BY m.seq LIMIT 1`);
  if (!row) throw new Error(`No demo merchant where ${where}`);
  return row.id;
}

export const OPTED_IN_TO_WECHAT_ON_TAOBAO = `m.status = 'ACTIVE' AND m.eligible AND EXISTS (
  SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.platform_id = 'taobao' AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`;

export function initiate(
  graph: Graph,
  input: Partial<InitiateInput> & Pick<InitiateInput, 'merchantId'>,
  { withQrCode = false }: { withQrCode?: boolean } = {},
): Promise<GraphQLResponse<{ initiatePayment: PaymentView }>> {
  return graph.query(initiateMutation(withQrCode), {
    input: {
      platformId: 'taobao',
      paymentToolId: 'wechat-pay',
      amount: { amountMinor: 12_345, currency: 'CNY' },
      reference: 'order-1',
      idempotencyKey: freshKey(),
      ...input,
    },
  });
}

export async function payment(graph: Graph, id: string): Promise<PaymentView | null> {
  const response = await graph.query<{ payment: PaymentView | null }>(`query ($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`, { id });
  expect(response.errors).toBeUndefined();
  return response.data?.payment ?? null;
}

/**
 * What the buyer's approve or decline button does, as a script would do it:
 * reads the form token from the payment's page (`pageUrl`, as in
 * `nextAction.url`) and posts the decision with it. Answers the status.
 */
export async function buyerDecides(pageUrl: string, decision: 'approve' | 'decline'): Promise<number> {
  const page = new URL(pageUrl);
  const shown = await fetch(`${page.origin}${page.pathname}`, { headers: { accept: 'application/json' } });
  // An unknown payment has no token: the decision then goes without one, as a forged form would.
  const csrfToken = shown.ok ? ((await shown.json()) as { csrfToken: string }).csrfToken : undefined;
  if (!shown.ok) await shown.arrayBuffer();
  const response = await fetch(`${page.origin}${page.pathname}/${decision}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(csrfToken ? { csrfToken } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

export function decide(graph: Graph, id: string, decision: 'approve' | 'decline'): Promise<number> {
  return buyerDecides(`${graph.wallet.url}/sandbox/payments/${encodeURIComponent(id)}`, decision);
}

/** Approves in the wallet and waits until its webhooks reached payments. */
export async function approveAndSettle(graph: Graph, id: string): Promise<PaymentView | null> {
  expect(await decide(graph, id, 'approve')).toBe(200);
  await graph.wallet.webhooks.idle();
  return payment(graph, id);
}

/** A counter or gauge of a subgraph's /metrics, per value of `label` (e.g. `owner`). */
export function subgraphMetric(graph: Graph, subgraph: 'payments' | 'merchants', name: string, label: string): Promise<Record<string, number>> {
  return metricByLabel(new URL('/metrics', graph.subgraphs[subgraph].url), name, label);
}

/** Waits until payments holds every platform's and every merchant's checkout facts, and merchants every platform's name (as loaded once their fact events are heard). */
export async function peerFactsHeld(graph: Graph): Promise<void> {
  const platforms = (await graph.stores.commerce.listPlatforms()).length;
  const [merchants] = await graph.stores.merchants.db.query<{ count: number }>('SELECT count(*)::int AS count FROM merchant');
  await expectEventually(() => subgraphMetric(graph, 'payments', 'payments_peer_facts_held', 'owner'), { commerce: platforms, merchants: merchants?.count ?? 0 });
  await expectEventually(() => subgraphMetric(graph, 'merchants', 'merchants_peer_facts_held', 'owner'), { commerce: platforms });
}

/** A status of a platform's rule for a tool, as commerce's store answers it. */
type RuleStatus = Awaited<ReturnType<Graph['stores']['commerce']['acceptancesByPlatformIds']>>[number][number]['status'];

/** Makes commerce's store answer `status` for the platform's rule for the tool (restored by jest.restoreAllMocks); unannounced. */
export function commerceRuleStatus(graph: Graph, platformId: string, toolId: string, status: RuleStatus): void {
  const store = graph.stores.commerce;
  const real = store.acceptancesByPlatformIds.bind(store);
  jest.spyOn(store, 'acceptancesByPlatformIds').mockImplementation(async (ids) =>
    (await real(ids)).map((rules) => rules.map((rule) => (rule.platformId === platformId && rule.toolId === toolId ? { ...rule, status } : rule))),
  );
}

/**
 * Has commerce announce that its facts changed (they were changed in its
 * store), and waits until payments and merchants, which hold them, have read
 * them all again: as after a deploy of commerce, when requests see the new
 * rules and names once those two heard of it.
 */
export async function commerceRulesChanged(graph: Graph): Promise<void> {
  const loads = async () =>
    Promise.all((['payments', 'merchants'] as const).map(async (subgraph) => (await subgraphMetric(graph, subgraph, `${subgraph}_peer_facts_loads_total`, 'owner')).commerce ?? 0));
  const before = await loads();
  graph.stores.commerce.rulesChanged();
  const deadline = Date.now() + 10_000;
  while ((await loads()).some((count, index) => count <= before[index]!)) {
    if (Date.now() > deadline) throw new Error('payments and merchants did not read the changed facts in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function codes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

export async function paymentRows(graph: Graph): Promise<number> {
  const [row] = await graph.stores.ledger.db.query<{ count: number }>('SELECT count(*)::int AS count FROM payment');
  return row?.count ?? 0;
}

/** Posts a wallet event to the payments webhook, signed with `secret` at `timestamp`. */
export async function postWebhook(
  graph: Graph,
  event: Record<string, unknown>,
  options: { secret?: string; timestamp?: number; signature?: string } = {},
): Promise<number> {
  const body = JSON.stringify(event);
  const header = options.signature ?? signatureHeader(options.secret ?? TEST_WALLET_SECRET, { context: 'wallet-webhook', body }, options.timestamp);
  const response = await fetch(graph.subgraphs.payments.url.replace(/\/graphql$/, '/webhooks/wallet'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: header },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Starts `subgraphs/payments/src/main.ts` as a child process on `port`, wired
 * to `graph`'s peers and wallet; `env` adds or overrides its settings.
 */
export async function startPaymentsProcess(graph: Graph, port: number, env: Record<string, string | undefined> = {}) {
  const child = runService('payments', [], {
    PAYMENTS_PORT: String(port),
    COMMERCE_URL: graph.subgraphs.commerce.url,
    MERCHANTS_URL: graph.subgraphs.merchants.url,
    WALLET_URL: graph.wallet.url,
    WALLET_PUBLIC_URL: graph.wallet.url,
    WALLET_SIGNING_SECRET: TEST_WALLET_SECRET,
    // Its peers answer from the test's own event loop, shared with every other server here: as much slack as in-process peers get.
    PEER_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
    ...env,
  });
  const exit = finished(child, 120_000);
  await waitForOutput(child, /subgraph listening/);
  return { child, exit, name: 'payments', url: `http://127.0.0.1:${port}/graphql` };
}

export type PaymentsProcess = Awaited<ReturnType<typeof startPaymentsProcess>>;
