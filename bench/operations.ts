// The operations the issue names, each as the request a client sends, for
// two kinds of traffic. "cached" repeats the same requests, as a dashboard
// would: our gateway's response cache and its sharing of identical reads in
// flight answer most of them. "varied" makes every request new (its own
// cursor, merchant or cache-busting variable, and its own partner key), so
// no answer is cached and no subgraph read is shared: the cost of the path
// every uncacheable request takes.
//
// Some operations vary per request: `token(i)` is the text that changes, so
// the subgraph requests captured for one variant can be replayed for another.
import { randomBytes } from 'node:crypto';
import { encodeCursor } from '@interop/kit/server';
import { CLIENT_HEADERS, partnerHeaders } from './auth';

export type Traffic = 'varied' | 'cached';

/** Varied first: it is the headline. */
export const TRAFFICS: readonly Traffic[] = ['varied', 'cached'];

export interface Operation {
  id: string;
  title: string;
  body(i: number): string;
  /** The client's headers for request `i`. */
  headers(i: number): Readonly<Record<string, string>>;
  /** The text of request `i` that differs from other requests; absent when every request is the same. */
  token?(i: number): string;
  /**
   * `pool`: requests cycle through this many variants, whose answers are fetched once before timing.
   * Without it a varying operation is new on every request (`token` is then also all that differs in the answer).
   */
  pool?: number;
  /**
   * Present when request `i`'s answer cannot be known before the run (a new
   * page or merchant per request): it is fetched from the reference afterwards.
   * Requests with the same key get the same answer but for `token`.
   */
  answerKey?(i: number): string;
  /**
   * Request `i` is one of this many distinct requests (cursors, merchants),
   * taken in turn: a run that sends more repeats some, and says so.
   */
  variants?: number;
  /**
   * The subgraph calls depend on the variant (a page's merchants decide the
   * next calls), so the direct replay cycles through this many variants
   * captured before timing instead of rewriting one.
   */
  capturePool?: number;
  /** The direct measurement of another operation stands for this one (the same subgraph requests but for an alias). */
  directFrom?: string;
  /** Measured at another operation's fixed rate, so their latencies compare. */
  rateFrom?: string;
  /**
   * Only a partner's credential may run it (`@requiresScopes`). The stock gateway cannot carry one to the
   * subgraphs, so they refuse it there: it is measured through our gateway and directly only.
   */
  needsCredential?: boolean;
}

const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

const MERCHANTS_50 = `merchants(first: 50) { edges { node { storefronts { platform { name } paymentOptions { tool { name provider } } } } } }`;
const MERCHANTS_50_AFTER = `merchants(first: 50, after: $after) { edges { node { storefronts { platform { name } paymentOptions { tool { name provider } } } } } }`;
const PAGE_FIELDS = 'edges { cursor node { id name city } } pageInfo { hasNextPage endCursor }';

export const merchantId = (seq: number) => `m${String(seq).padStart(7, '0')}`;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The `i`-th of `count` distinct values 0..count-1, spread over the range (a
 * step coprime with `count`), so consecutive requests read rows far apart.
 * Any `count` consecutive request numbers get distinct values.
 */
export function spread(i: number, count: number): number {
  let step = Math.max(1, Math.floor(count * 0.618));
  while (gcd(step, count) !== 1) step += 1;
  return (i * step) % count;
}

/** The cursor request `i` pages after: one of `count` merchant positions starting at `from`. */
const cursorAt = (i: number, from: number, count: number) => encodeCursor(from + spread(i, count));

export function operations(merchantCount: number, traffic: Traffic): Operation[] {
  return traffic === 'varied' ? varied(merchantCount) : cached(merchantCount);
}

function cached(merchantCount: number): Operation[] {
  const headers = () => CLIENT_HEADERS;
  // Merchants spread over the whole id range, so the checkout page reads rows from everywhere.
  const checkoutPool = Array.from({ length: 64 }, (_, k) => merchantId(1 + Math.floor((k * merchantCount) / 64)));
  const checkoutMerchant = (i: number) => checkoutPool[i % checkoutPool.length]!;
  // A cursor 90% of the way down Taobao's storefronts: with a million merchants, 900,000 rows deep.
  const deepCursor = encodeCursor(merchantCount - Math.floor(merchantCount / 10));
  const page = (after: string) => `{ merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 20${after}) { ${PAGE_FIELDS} } }`;
  return [
    { id: '1', title: 'paymentTools { id name }', headers, body: () => json('{ paymentTools { id name } }') },
    {
      id: '2',
      title: 'checkoutOptions, 64 merchants',
      headers,
      body: (i) => json(CHECKOUT, { platformId: 'taobao', merchantId: checkoutMerchant(i) }),
      token: (i) => `"${checkoutMerchant(i)}"`,
      pool: checkoutPool.length,
    },
    { id: '3', title: '50 merchants, 3 subgraphs', headers, body: () => json(`{ platform(id: "taobao") { ${MERCHANTS_50} } }`) },
    {
      id: '4',
      title: 'op 3, unique alias (plan miss)',
      headers,
      // The alias ends in `_taobao` so that no alias is a prefix of another.
      body: (i) => json(`{ a${i}_taobao: platform(id: "taobao") { ${MERCHANTS_50} } }`),
      token: (i) => `a${i}_taobao`,
      directFrom: '3',
    },
    { id: '5', title: 'merchants page, 90% deep', headers, body: () => json(page(`, after: "${deepCursor}"`)) },
    { id: '5b', title: 'merchants page, first', headers, body: () => json(page('')), rateFrom: '5' },
    payment(headers),
  ];
}

const CHECKOUT =
  'query CheckoutPage($platformId: ID!, $merchantId: ID!) { checkoutOptions(platformId: $platformId, merchantId: $merchantId) { rank isDefault tool { id name } } }';

/**
 * Every request new. Variables, not text, vary wherever the operation is
 * meant to hit the plan cache; operation 4 still changes its text. Each
 * request also carries its own partner's key (see auth.ts), so the subgraph
 * reads that do not depend on the variables (a platform looked up by id) are
 * signed for a different caller and never shared in flight.
 */
function varied(merchantCount: number): Operation[] {
  const headers = partnerHeaders;
  const merchant = (i: number) => merchantId(1 + spread(i, merchantCount));
  // Pages of 50 after any of the first 80% of positions: each a full page, each a different one.
  const pages = Math.max(1, Math.floor(merchantCount * 0.8));
  const pageCursor = (i: number) => cursorAt(i, 0, pages);
  // Deep pages: after a position between 85% and 95% of the way down, 90% on average.
  const deepFrom = Math.floor(merchantCount * 0.85);
  const deepPages = Math.max(1, Math.floor(merchantCount * 0.1));
  const deepCursor = (i: number) => cursorAt(i, deepFrom, deepPages);
  const page = (variables: string, after: string) =>
    `query MerchantsPage${variables} { merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 20${after}) { ${PAGE_FIELDS} } }`;
  // Declared by no operation, so it changes nothing but the response cache's key (which holds every variable sent).
  // Every request carries it: a run sends more requests than 5,000 merchants have pages or deep cursors, and
  // a merchant's or a page's second request would otherwise be a second offer of its key, and stored.
  const bust = (i: number) => ({ request: i });
  const samePage = () => 'all';
  return [
    { id: '1', title: 'paymentTools { id name }', headers, body: (i) => json('{ paymentTools { id name } }', bust(i)), answerKey: samePage },
    {
      id: '2',
      title: 'checkoutOptions, a new merchant each',
      headers,
      body: (i) => json(CHECKOUT, { platformId: 'taobao', merchantId: merchant(i), ...bust(i) }),
      token: (i) => `"${merchant(i)}"`,
      answerKey: merchant,
      variants: merchantCount,
    },
    {
      id: '3',
      title: '50 merchants, 3 subgraphs, a new page each',
      headers,
      body: (i) => json(`query MerchantPage($after: String) { platform(id: "taobao") { ${MERCHANTS_50_AFTER} } }`, { after: pageCursor(i), ...bust(i) }),
      answerKey: pageCursor,
      variants: pages,
      capturePool: 16,
    },
    {
      id: '4',
      title: 'op 3, unique alias (plan miss)',
      headers,
      body: (i) => json(`query MerchantPage($after: String) { a${i}_taobao: platform(id: "taobao") { ${MERCHANTS_50_AFTER} } }`, { after: pageCursor(i), ...bust(i) }),
      token: (i) => `a${i}_taobao`,
      answerKey: pageCursor,
      variants: pages,
      directFrom: '3',
    },
    {
      id: '5',
      title: 'merchants page, ~90% deep',
      headers,
      body: (i) => json(page('($after: String)', ', after: $after'), { after: deepCursor(i), ...bust(i) }),
      // With the quotes, as it stands in the subgraph request's variables: no cursor is a prefix of another.
      token: (i) => `"${deepCursor(i)}"`,
      answerKey: deepCursor,
      variants: deepPages,
    },
    { id: '5b', title: 'merchants page, first', headers, body: (i) => json(page('', ''), bust(i)), answerKey: samePage, rateFrom: '5' },
    // A fresh idempotency key already makes every payment new.
    payment(headers),
  ];
}

function payment(headers: Operation['headers']): Operation {
  // Idempotency keys are fresh in every bench run too, though each run has its own payments data.
  const run = randomBytes(4).toString('hex');
  const paymentKey = (i: number) => `bench-${run}-${i}"`;
  return {
    id: '6',
    title: 'initiatePayment, fresh keys',
    headers,
    body: (i) =>
      json(
        // No ids or times in the selection: every answer is the same, so every one is checked exactly.
        'mutation StartPayment($input: InitiatePaymentInput!) { initiatePayment(input: $input) { status amount { amountMinor currency formatted } nextAction { type } tool { id name } } }',
        {
          input: benchPaymentInput(paymentKey(i).slice(0, -1)),
        },
      ),
    // With the closing quote, so that key 1 is not a prefix of key 12.
    token: paymentKey,
    needsCredential: true,
  };
}

/** The payment every bench initiatePayment starts, under its own idempotency key. */
export function benchPaymentInput(idempotencyKey: string) {
  return {
    platformId: 'taobao',
    merchantId: 'm0000002',
    paymentToolId: 'wechat-pay',
    amount: { amountMinor: 19_900, currency: 'CNY' },
    reference: 'bench-order',
    idempotencyKey,
  };
}
