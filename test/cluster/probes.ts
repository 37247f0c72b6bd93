// What is shared between the gateways, asked of each gateway directly (not
// through the balancer): one rate-limit budget per credential, counted in
// Redis, and the response cache, which an opt-in change made through either
// gateway must leave on both.
import { sleep } from './recorder';

export interface Gateway {
  name: string;
  /** Its own URL, e.g. http://127.0.0.1:4101/ */
  url: string;
}

async function post(url: string, apiKey: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, headers: response.headers, body };
}

export interface RateLimitProbe {
  /** The budget both gateways report (RateLimit-Limit). */
  limit: number | null;
  /** Requests answered, per gateway, before the first refusal. */
  allowedVia: Record<string, number>;
  allowed: number;
  /** Whether every answer's RateLimit-Remaining was the budget less all requests so far, through either gateway. */
  countedTogether: boolean;
  /** The refusals' status and code: first from one gateway, then from the other. */
  refusals: string[];
}

/** Spends one key's budget alternating between the gateways, until refused; then asks the other gateway once more. */
export async function probeRateLimit(gateways: readonly Gateway[], apiKey: string, maxRequests: number): Promise<RateLimitProbe> {
  const probe: RateLimitProbe = { limit: null, allowedVia: Object.fromEntries(gateways.map((gateway) => [gateway.name, 0])), allowed: 0, countedTogether: true, refusals: [] };
  for (let i = 0; i < maxRequests && probe.refusals.length === 0; i += 1) {
    const gateway = gateways[i % gateways.length]!;
    const answer = await post(gateway.url, apiKey, '{ __typename }');
    if (answer.status === 200) {
      probe.allowed += 1;
      probe.allowedVia[gateway.name] = (probe.allowedVia[gateway.name] ?? 0) + 1;
      const limit = Number(answer.headers.get('ratelimit-limit'));
      probe.limit ??= limit;
      if (limit !== probe.limit || Number(answer.headers.get('ratelimit-remaining')) !== limit - probe.allowed) probe.countedTogether = false;
    } else {
      probe.refusals.push(`${gateway.name} ${answer.status} ${answer.body.errors?.[0]?.extensions?.code ?? ''}`.trim());
      const other = gateways[(i + 1) % gateways.length]!;
      const again = await post(other.url, apiKey, '{ __typename }');
      probe.refusals.push(`${other.name} ${again.status} ${again.body.errors?.[0]?.extensions?.code ?? ''}`.trim());
    }
  }
  return probe;
}

const CHECKOUT_OPTIONS = /* GraphQL */ `query ClusterCheckoutOptions($m: ID!) { checkoutOptions(platformId: "taobao", merchantId: $m) { tool { id } } }`;
const OPEN = /* GraphQL */ `mutation ClusterOpen($m: ID!) { openPaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`;
const CLOSE = /* GraphQL */ `mutation ClusterClose($m: ID!) { closePaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`;

export interface OptInProbe {
  merchantId: string;
  /** Cache hits each gateway counted while the answer was asked three times of each: served from the cache before the change. */
  hitsBefore: Record<string, number>;
  /** Whether WeChat Pay was offered on each gateway before the change (it must not be). */
  offeredBefore: Record<string, boolean>;
  /** From the opening's answer to each gateway offering WeChat Pay at this merchant's checkout; null if it never did. */
  openedSeenMs: Record<string, number | null>;
  /** From the closing's answer to each gateway no longer offering it; null if it always did. */
  closedSeenMs: Record<string, number | null>;
  mutationErrors: string[];
}

export async function probeOptIn(balancerUrl: string, gateways: readonly Gateway[], apiKey: string, merchantId: string, waitMs: number): Promise<OptInProbe> {
  const offered = async (gateway: Gateway) => {
    const answer = await post(gateway.url, apiKey, CHECKOUT_OPTIONS, { m: merchantId });
    const options = (answer.body.data?.['checkoutOptions'] ?? []) as { tool: { id: string } }[];
    return options.some((option) => option.tool.id === 'wechat-pay');
  };
  const probe: OptInProbe = { merchantId, hitsBefore: {}, offeredBefore: {}, openedSeenMs: {}, closedSeenMs: {}, mutationErrors: [] };
  for (const gateway of gateways) {
    const hits = await cacheHits(gateway);
    let seen = false;
    for (let ask = 0; ask < 3; ask += 1) seen = (await offered(gateway)) || seen;
    probe.offeredBefore[gateway.name] = seen;
    probe.hitsBefore[gateway.name] = (await cacheHits(gateway)) - hits;
  }
  const change = async (mutation: string, want: boolean, into: Record<string, number | null>) => {
    const answer = await post(balancerUrl, apiKey, mutation, { m: merchantId });
    for (const error of answer.body.errors ?? []) probe.mutationErrors.push(error.extensions?.code ?? 'error');
    const changed = Date.now();
    await Promise.all(
      gateways.map(async (gateway) => {
        into[gateway.name] = null;
        while (Date.now() - changed < waitMs) {
          if ((await offered(gateway)) === want) {
            into[gateway.name] = Date.now() - changed;
            return;
          }
          await sleep(20);
        }
      }),
    );
  };
  await change(OPEN, true, probe.openedSeenMs);
  for (const gateway of gateways) for (let ask = 0; ask < 2; ask += 1) await offered(gateway);
  await change(CLOSE, false, probe.closedSeenMs);
  return probe;
}

/** The gateway's response cache hits so far, from its /metrics. */
async function cacheHits(gateway: Gateway): Promise<number> {
  const response = await fetch(`${gateway.url}metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  const line = text.split('\n').find((entry) => entry.startsWith('gateway_response_cache_total{') && entry.includes('result="hit"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
