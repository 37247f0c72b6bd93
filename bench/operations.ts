// The operations the issue names, each as the request a client sends. Some
// vary per request: `token(i)` is the text that changes, so the subgraph
// requests captured for one variant can be replayed for any other.
import { randomBytes } from 'node:crypto';
import { encodeCursor } from '@interop/kit';

export interface Operation {
  id: string;
  title: string;
  body(i: number): string;
  /** The text of request `i` that differs from other requests; absent when every request is the same. */
  token?(i: number): string;
  /**
   * `pool`: requests cycle through this many variants, whose answers are fetched once before timing.
   * Without it a varying operation is new on every request (`token` is then also all that differs in the answer).
   */
  pool?: number;
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

const merchantId = (seq: number) => `m${String(seq).padStart(7, '0')}`;

export function operations(merchantCount: number): Operation[] {
  // Merchants spread over the whole id range, so the checkout page reads rows from everywhere.
  const checkoutPool = Array.from({ length: 64 }, (_, k) => merchantId(1 + Math.floor((k * merchantCount) / 64)));
  const checkoutMerchant = (i: number) => checkoutPool[i % checkoutPool.length]!;
  // A cursor 90% of the way down Taobao's storefronts: with a million merchants, 900,000 rows deep.
  const deepCursor = encodeCursor(merchantCount - Math.floor(merchantCount / 10));
  const page = (after: string) =>
    `{ merchants(platformId: "taobao", acceptsToolId: "wechat-pay", first: 20${after}) { edges { cursor node { id name city } } pageInfo { hasNextPage endCursor } } }`;
  // Idempotency keys are fresh in every bench run too, though each run has its own payments data.
  const run = randomBytes(4).toString('hex');
  const paymentKey = (i: number) => `bench-${run}-${i}"`;
  return [
    { id: '1', title: 'paymentTools { id name }', body: () => json('{ paymentTools { id name } }') },
    {
      id: '2',
      title: 'checkoutOptions, 64 merchants',
      body: (i) =>
        json(
          'query CheckoutPage($platformId: ID!, $merchantId: ID!) { checkoutOptions(platformId: $platformId, merchantId: $merchantId) { rank isDefault tool { id name } } }',
          { platformId: 'taobao', merchantId: checkoutMerchant(i) },
        ),
      token: (i) => `"${checkoutMerchant(i)}"`,
      pool: checkoutPool.length,
    },
    { id: '3', title: '50 merchants, 3 subgraphs', body: () => json(`{ platform(id: "taobao") { ${MERCHANTS_50} } }`) },
    {
      id: '4',
      title: 'op 3, unique alias (plan miss)',
      // The alias ends in `_taobao` so that no alias is a prefix of another.
      body: (i) => json(`{ a${i}_taobao: platform(id: "taobao") { ${MERCHANTS_50} } }`),
      token: (i) => `a${i}_taobao`,
      directFrom: '3',
    },
    { id: '5', title: 'merchants page, 90% deep', body: () => json(page(`, after: "${deepCursor}"`)) },
    { id: '5b', title: 'merchants page, first', body: () => json(page('')), rateFrom: '5' },
    {
      id: '6',
      title: 'initiatePayment, fresh keys',
      body: (i) =>
        json(
          // No ids or times in the selection: every answer is the same, so every one is checked exactly.
          'mutation StartPayment($input: InitiatePaymentInput!) { initiatePayment(input: $input) { status amount { amountMinor currency formatted } nextAction { type } tool { id name } } }',
          {
            input: {
              platformId: 'taobao',
              merchantId: 'm0000002',
              paymentToolId: 'wechat-pay',
              amount: { amountMinor: 19_900, currency: 'CNY' },
              reference: 'bench-order',
              idempotencyKey: paymentKey(i).slice(0, -1),
            },
          },
        ),
      // With the closing quote, so that key 1 is not a prefix of key 12.
      token: paymentKey,
      needsCredential: true,
    },
  ];
}
