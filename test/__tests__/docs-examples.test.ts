// Every example in docs/ runs here, so the pages cannot drift from the graph:
// each GraphQL operation against a started graph (answering as its page says),
// each TypeScript example (a file of docs/examples, shown verbatim) against the
// same graph through the SDK, each config block through the gateway's own
// reader, each shell command against package.json, and the webhooks page's
// signed request through the graph's own signature check. Every query of the
// pages and the README also goes through Apollo Client with the pages'
// typePolicies, whose cache must keep each answer and warn about nothing.
import '@interop/testing/apollo-dev-mode';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Kind, OperationTypeNode, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { close, listen, readRawBody } from '@interop/kit/server';
import { signatureHeader, signWebhookPayload, verifySignature } from '@interop/kit/security';
import { parseGatewayCli, readGatewaySettings } from '@interop/gateway';
import { createInteropClient } from '@interop/sdk';
import { parseWebhookEvent, type PartnerWebhookEvent, verifyWalletWebhook, verifyWebhook } from '@interop/sdk/webhooks';
import { postGraphQL, ROOT, startGraph, type Graph, type GraphQLResponse, useEmbeddedBackends } from '@interop/testing/harness';
import { mintToken, PARTNER_A, PARTNER_B } from '@interop/testing/identities';
import { buyerDecides, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO } from '@interop/testing/payments-helpers';
import { freePort } from '@interop/testing/processes';
import { startTestWallet } from '@interop/testing/test-wallet';
import { CHECKOUT as SDK_CHECKOUT, PAYMENT as SDK_PAYMENT, PLATFORM_ACCEPTANCE as SDK_PLATFORM_ACCEPTANCE } from '../../packages/sdk/src/operations';
import { graphClient } from '../../docs/examples/apollo-cache';
import { partnerClient, ownPayment } from '../../docs/examples/credentials';
import { firstPayment } from '../../docs/examples/first-payment';
import { followPayment } from '../../docs/examples/follow-payment';
import { followPaymentOverHttp } from '../../docs/examples/follow-payment-http';
import { followPaymentOverSse } from '../../docs/examples/follow-payment-sse';
import { webSocketOnlyClient } from '../../docs/examples/websocket-only';
import { tryToPay } from '../../docs/examples/handle-errors';
import { payOrder } from '../../docs/examples/order-key';
import { probe } from '../../docs/examples/probe';
import { receiveWalletWebhook } from '../../docs/examples/receive-wallet-webhook';
import { webhookEndpoints } from '../../docs/examples/webhook-endpoints';
import { startWebhookReceiver } from '../../docs/examples/webhook-receiver';
import { startCheckout } from '../../docs/examples/start-checkout';
import { scratchDir } from '@interop/testing/scratch-dir';

useEmbeddedBackends();

/** An endpoint secret as the graph makes them: `whsec_` and 32 random bytes, base64url. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const DOCS = join(ROOT, 'docs');
const EXAMPLES = join(DOCS, 'examples');

interface Block {
  page: string;
  line: number;
  lang: string;
  text: string;
}

function blocksOf(path: string, page: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const fence = /^```(\S*)\s*$/.exec(line);
      if (open === null && fence) {
        open = { page, line: index + 1, lang: fence[1] ?? '', text: '' };
      } else if (open !== null && line.trimEnd() === '```') {
        blocks.push(open);
        open = null;
      } else if (open !== null) {
        open.text += `${line}\n`;
      }
    });
  if (open !== null) throw new Error(`${page}: a code block is never closed`);
  return blocks;
}

const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort();
const docBlocks = pages.flatMap((page) => blocksOf(join(DOCS, page), page));
const readmeBlocks = blocksOf(join(ROOT, 'README.md'), 'README.md');
const at = (block: Block) => `${block.page}:${block.line}`;

interface GraphQLExample {
  block: Block;
  variables: Record<string, unknown>;
  codes: string[];
  anonymous: boolean;
  /** The answer the page shows, when it shows one. */
  answer?: GraphQLResponse;
}

/** Each graphql block with the json blocks after it: its variables, then the answer it shows. */
function graphqlExamples(blocks: Block[]): GraphQLExample[] {
  const examples: GraphQLExample[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'graphql') return;
    const example: GraphQLExample = { block, variables: {}, codes: [], anonymous: false };
    for (const line of block.text.split('\n')) {
      const comment = /^#\s*(errors|credential):\s*(.+)$/.exec(line.trim());
      if (!comment) break;
      if (comment[1] === 'errors') example.codes = comment[2]!.split(',').map((code) => code.trim());
      else example.anonymous = comment[2]!.trim() === 'none';
    }
    for (const next of blocks.slice(index + 1, index + 3)) {
      if (next.lang !== 'json') break;
      const json = JSON.parse(next.text) as Record<string, unknown>;
      if ('errors' in json || 'data' in json) {
        example.answer = json as unknown as GraphQLResponse;
        break;
      }
      example.variables = json;
    }
    examples.push(example);
  });
  return examples;
}

/** What a client may rely on in an answer: everything but the messages. */
const withoutMessages = (answer: { data?: unknown; errors?: GraphQLResponse['errors'] | undefined }) => ({
  data: answer.data,
  errors: answer.errors?.map(({ message: _message, ...rest }) => rest),
});

let graph: Graph;
let url: string;

beforeAll(async () => {
  // webhook-endpoints.ts registers the page's receiver, on 127.0.0.1 over plain http, as `npm start` allows.
  graph = await startGraph({ partnerWebhooks: { allowInsecure: true, allowPrivate: true } });
  url = new URL('graphql', graph.gateway.url).href;
});

afterAll(async () => {
  await graph?.stop();
});

describe('the pages', () => {
  test('hold only examples of a kind this file runs', () => {
    const kinds = new Set(['graphql', 'json', 'ts', 'yaml', 'sh', 'http']);
    expect(docBlocks.filter((block) => !kinds.has(block.lang)).map(at)).toEqual([]);
    // A json block is an operation's variables or its answer, so it follows a graphql block.
    const stray = docBlocks.filter((block, index) => block.lang === 'json' && !docBlocks.slice(Math.max(0, index - 2), index).some((before) => before.lang === 'graphql'));
    expect(stray.map(at)).toEqual([]);
    expect(new Set(docBlocks.filter((block) => block.lang === 'http').map((block) => block.page))).toEqual(new Set(['webhooks.md']));
  });

  test('each ts block is a file of docs/examples, verbatim, and each file is shown', () => {
    const files = new Map(readdirSync(EXAMPLES).map((name) => [readFileSync(join(EXAMPLES, name), 'utf8'), name]));
    const tsBlocks = [...docBlocks, ...readmeBlocks].filter((block) => block.lang === 'ts');
    expect(tsBlocks.filter((block) => !files.has(block.text)).map(at)).toEqual([]);
    const shown = new Set(tsBlocks.map((block) => files.get(block.text)));
    expect([...files.values()].filter((name) => !shown.has(name))).toEqual([]);
  });

  test('each sh command is an npm script that exists, with arguments its program accepts, or a deployment command', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const commands = docBlocks
      .filter((block) => block.lang === 'sh')
      .flatMap((block) => block.text.split('\n').map((line) => line.replace(/\s+#.*$/, '')).filter((line) => line.trim() !== ''))
      .flatMap((line) => line.split('&&').map((command) => command.trim()));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      // Deploying (docs/deploying.md): checked against the Dockerfile and the manifests by deploy-manifests.test.ts.
      if (/^(kubectl|docker) /.test(command)) continue;
      // An npm command may be preceded by the environment it runs with (DATABASE_URL=... npm run bench).
      const match = /^(?:[A-Z][A-Z0-9_]*=\S+ )*npm (ci|start|test|run ([\w:-]+))(?: -- (.+))?$/.exec(command);
      expect([command, match !== null]).toEqual([command, true]);
      const script = match![2] ?? match![1]!;
      if (script !== 'ci') expect([command, script in scripts]).toEqual([command, true]);
      if (script === 'gateway') expect(() => parseGatewayCli(match![3]!.split(' '), { DEMO_API_KEY: '' })).not.toThrow();
    }
  });

  test('each yaml block is a gateway config the gateway accepts', () => {
    const dir = scratchDir('docs-config-');
    const configs = docBlocks.filter((block) => block.lang === 'yaml');
    expect(configs.length).toBeGreaterThan(0);
    configs.forEach((block, index) => {
      const file = join(dir, `config-${index}.yaml`);
      writeFileSync(file, block.text);
      expect(() => readGatewaySettings(file, { GATEWAY_JWT_SECRET: 'a-secret-of-at-least-thirty-two-bytes!' })).not.toThrow();
    });
  });
});

describe('the GraphQL examples, each page in order', () => {
  const examples = pages.flatMap((page) => graphqlExamples(docBlocks.filter((block) => block.page === page)));

  test.each(examples.map((example) => [at(example.block), example] as const))('%s answers as the page says', async (_where, example) => {
    const response = await postGraphQL(url, example.block.text, example.variables, example.anonymous ? null : PARTNER_A);
    expect((response.errors ?? []).map((error) => error.extensions?.code)).toEqual(example.codes);
    if (example.codes.length === 0) expect(response.data).toBeTruthy();
    if (example.answer) expect(withoutMessages(response)).toEqual(withoutMessages(example.answer));
  });
});

describe('apollo-cache.ts: Apollo Client with the pages’ typePolicies', () => {
  interface CacheExample {
    where: string;
    document: DocumentNode;
    variables: Record<string, unknown>;
  }

  const readmeLines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');

  /** The variables the README gives a block with: the `Variables:` line after it, if any. */
  function variablesAfter(block: Block): Record<string, unknown> {
    const closingFence = block.line + block.text.split('\n').length - 1;
    const next = readmeLines.slice(closingFence + 1).find((line) => line.trim() !== '') ?? '';
    const shown = /^Variables: `(\{.*?\})`/.exec(next);
    return shown ? (JSON.parse(shown[1]!) as Record<string, unknown>) : {};
  }

  /** One document per operation of `text`, with the fragments it may use. */
  function operationsOf(text: string): { operation: OperationDefinitionNode; document: DocumentNode }[] {
    const { definitions } = parse(text);
    const fragments = definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
    return definitions
      .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => ({ operation, document: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] } }));
  }

  /**
   * Every query of the README and the pages that answers without errors (and
   * without @defer, which Apollo Client reads with a handler of its own), and
   * the SDK's reads, which select other fields of the same objects.
   */
  function cacheExamples(paymentId: string): CacheExample[] {
    // Ids the README leaves to the reader.
    const given: Record<string, Record<string, unknown>> = {
      PlatformAcceptance: { platformId: 'taobao' },
      FollowPayment: { id: paymentId },
      MerchantStorefronts: { id: 'm0000002' },
      SdkPlatformAcceptance: { platformId: 'taobao' },
      SdkCheckout: { platformId: 'taobao', merchantId: 'm0000002', channel: 'WEB' },
      SdkPayment: { id: paymentId },
    };
    const sdk = [SDK_PLATFORM_ACCEPTANCE, SDK_CHECKOUT, SDK_PAYMENT].map((text, index) => ({ block: { page: 'packages/sdk/src/operations.ts', line: index, lang: 'graphql', text }, variables: {} }));
    const shown = [
      ...readmeBlocks.filter((block) => block.lang === 'graphql').map((block) => ({ block, variables: variablesAfter(block) })),
      ...pages.flatMap((page) => graphqlExamples(docBlocks.filter((block) => block.page === page))).filter((example) => example.codes.length === 0),
      ...sdk,
    ];
    return shown
      .filter(({ block }) => !block.text.includes('@defer'))
      .flatMap(({ block, variables }) =>
        operationsOf(block.text)
          .filter(({ operation }) => operation.operation === OperationTypeNode.QUERY)
          .map(({ operation, document }) => {
            const declared = new Set(operation.variableDefinitions?.map((definition) => definition.variable.name.value));
            const all = { ...variables, ...given[operation.name?.value ?? ''] };
            return { where: `${at(block)} ${operation.name?.value ?? '(anonymous)'}`, document, variables: Object.fromEntries(Object.entries(all).filter(([name]) => declared.has(name))) };
          }),
      );
  }

  /** Sends each example through `client`, checking that its cache then gives back exactly the answer. */
  async function answerAll(client: ApolloClient, examples: CacheExample[]): Promise<void> {
    for (const { where, document, variables } of examples) {
      const answer = await client.query({ query: document, variables, fetchPolicy: 'network-only' });
      expect([where, client.cache.readQuery({ query: document, variables })]).toEqual([where, answer.data]);
    }
  }

  /** The README's StartPayment through `client`: the payment FollowPayment reads. */
  async function startPayment(client: ApolloClient): Promise<string> {
    const block = readmeBlocks.find((candidate) => candidate.lang === 'graphql' && candidate.text.includes('mutation StartPayment'));
    const started = await client.mutate<{ initiatePayment: { id: string } }>({ mutation: parse(block!.text) });
    return started.data!.initiatePayment.id;
  }

  /** What Apollo Client warned or complained about while `work` ran. */
  async function complaints(work: () => Promise<void>): Promise<unknown[][]> {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await work();
      return [...warn.mock.calls, ...error.mock.calls];
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  }

  test('every query answer is kept as answered, each query sent twice in turn, and the cache warns about nothing', async () => {
    const client = graphClient(url, { 'x-api-key': PARTNER_A.key });
    const heard = await complaints(async () => {
      const examples = cacheExamples(await startPayment(client));
      expect(examples.length).toBeGreaterThanOrEqual(14);
      await answerAll(client, examples);
      await answerAll(client, examples);
    });
    client.stop();
    expect(heard).toEqual([]);
  });

  // Run after the test above: Apollo Client warns once per field in a process.
  test('without them, the same answers make the cache warn that it loses data', async () => {
    const bare = new ApolloClient({ link: new HttpLink({ uri: url, headers: { 'x-api-key': PARTNER_A.key } }), cache: new InMemoryCache() });
    const heard = await complaints(async () => {
      const examples = cacheExamples(await startPayment(bare));
      await answerAll(bare, examples);
      await answerAll(bare, examples);
    });
    bare.stop();
    expect(heard.length).toBeGreaterThan(0);
  });
});

describe('the TypeScript examples', () => {
  /** The sandbox buyer: approves on the page the payment's next action links to. */
  const approve = async (link: string) => {
    expect(await buyerDecides(link, 'approve')).toBe(200);
  };

  test('start-checkout.ts starts a payment with the checkout’s default tool', async () => {
    const nextAction = await startCheckout(url, PARTNER_A.key, 'order-docs-1');
    // Taobao's default is Alipay, which opens in its app on every channel.
    expect(nextAction?.type).toBe('REDIRECT');
    expect(nextAction?.url).toContain('/sandbox/payments/');
  });

  test('first-payment.ts follows a payment the buyer approves to SUCCEEDED', async () => {
    const payment = await firstPayment(url, PARTNER_A.key, approve);
    expect(payment.status).toBe('SUCCEEDED');
    expect(payment.events.map((event) => event.toStatus)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  });

  test.each([
    ['follow-payment.ts', (payment: string, onStatus: (status: string) => void) => followPayment(graph.gateway.url.replace(/^http/, 'ws'), PARTNER_A.key, payment, onStatus)],
    ['follow-payment-http.ts', (payment: string, onStatus: (status: string) => void) => followPaymentOverHttp(url, PARTNER_A.key, payment, onStatus)],
    ['follow-payment-sse.ts', (payment: string, onStatus: (status: string) => void) => followPaymentOverSse(url, PARTNER_A.key, payment, onStatus)],
  ])('%s hears REQUIRES_ACTION, PROCESSING and SUCCEEDED live as the buyer approves', async (_file, follow) => {
    const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
    const interop = createInteropClient({ url, apiKey: PARTNER_A.key });
    const payment = await interop.initiatePayment({
      platformId: 'taobao',
      merchantId,
      paymentToolId: 'alipay',
      amount: { amountMinor: 4_200, currency: 'CNY' },
      reference: 'order-docs-live',
    });
    const heard: string[] = [];
    await follow(payment.id, (status) => {
      heard.push(status);
      if (status === 'REQUIRES_ACTION') void approve(payment.nextAction!.url);
    });
    expect(heard).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  });

  test('websocket-only.ts runs a query and a mutation over the WebSocket, answering as over HTTP', async () => {
    const client = webSocketOnlyClient(graph.gateway.url.replace(/^http/, 'ws'), PARTNER_A.key);
    try {
      const tools = await client.query({ query: gql`{ paymentTools { id name } }` });
      // Apollo Client asks for every object's __typename.
      expect(tools.data).toEqual((await postGraphQL(url, '{ paymentTools { id name __typename } }', {}, PARTNER_A)).data);
      const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
      const created = await client.mutate<{ initiatePayment: { id: string; status: string } }>({
        mutation: gql`mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`,
        variables: {
          input: { platformId: 'taobao', merchantId, paymentToolId: 'alipay', amount: { amountMinor: 4_200, currency: 'CNY' }, reference: 'order-docs-ws', idempotencyKey: `docs-ws-${Date.now()}` },
        },
      });
      expect(created.data?.initiatePayment.status).toBe('REQUIRES_ACTION');
    } finally {
      client.stop();
    }
  });

  test('credentials.ts: a key or a token sees its own payment; another partner gets null', async () => {
    const mine = await payOrder(partnerClient(url, { apiKey: PARTNER_A.key }), { id: 'docs-2', attempt: 1, merchantId: 'm0000002', amountMinor: 5_000 }, 'alipay');
    const token = (await mintToken({ partnerId: 'partner-a' })).authorization!.replace(/^Bearer /, '');
    expect((await ownPayment(partnerClient(url, { apiKey: PARTNER_A.key }), mine.id))?.id).toBe(mine.id);
    expect((await ownPayment(partnerClient(url, { token }), mine.id))?.id).toBe(mine.id);
    expect(await ownPayment(partnerClient(url, { apiKey: PARTNER_B.key }), mine.id)).toBeNull();
  });

  test('order-key.ts: the same order and attempt is the same payment; a new attempt is another', async () => {
    const interop = createInteropClient({ url, apiKey: PARTNER_A.key });
    const order = { id: 'docs-3', attempt: 1, merchantId: 'm0000002', amountMinor: 6_000 };
    const first = await payOrder(interop, order, 'alipay');
    expect((await payOrder(interop, order, 'alipay')).id).toBe(first.id);
    expect((await payOrder(interop, { ...order, attempt: 2 }, 'alipay')).id).not.toBe(first.id);
  });

  test('handle-errors.ts: started, or refused with the code and reason', async () => {
    const interop = createInteropClient({ url, apiKey: PARTNER_A.key });
    const optedIn = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
    const notOptedIn = await merchantWhere(graph, `m.status = 'ACTIVE' AND NOT (${OPTED_IN_TO_WECHAT_ON_TAOBAO})`);
    const input = (merchantId: string, amountMinor: number) => ({
      platformId: 'taobao',
      merchantId,
      paymentToolId: 'wechat-pay',
      amount: { amountMinor, currency: 'CNY' as const },
      reference: 'docs-4',
    });
    expect(await tryToPay(interop, input(optedIn, 1_000))).toMatchObject({ outcome: 'started', status: 'REQUIRES_ACTION' });
    expect(await tryToPay(interop, input(optedIn, 100_000_000))).toEqual({ outcome: 'refused', code: 'AMOUNT_OVER_LIMIT', reason: 'OVER_LIMIT' });
    expect(await tryToPay(interop, input(notOptedIn, 1_000))).toMatchObject({ outcome: 'refused', code: 'PAYMENT_TOOL_NOT_ACCEPTED' });
  });

  test('probe.ts: alive, ready with every subgraph, and counting requests', async () => {
    const result = await probe(graph.gateway.url);
    expect(result).toMatchObject({ alive: true, ready: true });
    expect(Object.keys(result.subgraphs).sort()).toEqual(['commerce', 'merchants', 'payments']);
    expect(Object.values(result.subgraphs).every((subgraph) => subgraph.ok)).toBe(true);
    expect(result.requests.length).toBeGreaterThan(0);
  });

  describe('receive-wallet-webhook.ts, fed by a sandbox wallet', () => {
    const SECRET = 'docs-webhook-secret';
    const received: { status: number; body: string; type: string | undefined }[] = [];

    /** A receiver on a free port that answers with what the example decides, under `secret`. */
    async function receiver(secret: string) {
      const server = createServer((req, res) => {
        void readRawBody(req, 64 * 1024).then((raw) => {
          const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
          const { status, event } = receiveWalletWebhook(secret, raw, headers);
          received.push({ status, body: raw, type: event?.type });
          res.writeHead(status).end();
        });
      });
      const port = await listen(server, 0, '127.0.0.1');
      return { url: `http://127.0.0.1:${port}/webhooks`, stop: () => close(server, 0) };
    }

    /** Has the wallet collect one payment that notifies `notifyUrl`, and the buyer approve it. */
    async function approvedPayment(notifyUrl: string) {
      const wallet = await startTestWallet({ port: 0, host: '127.0.0.1', secret: SECRET, webhookMinDelayMs: 10, webhookMaxDelayMs: 50 });
      const paymentId = `pay_docs_${received.length}`;
      const body = JSON.stringify({
        paymentId,
        toolId: 'alipay',
        merchantId: 'm0000002',
        platformId: 'taobao',
        amountMinor: 19_900,
        currency: 'CNY',
        reference: 'docs-webhook',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        notifyUrl,
      });
      const created = await fetch(`${wallet.url}/v1/payments/${paymentId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'x-interop-signature': signatureHeader(SECRET, { context: 'wallet-api', method: 'PUT', path: `/v1/payments/${paymentId}`, body }),
        },
        body,
      });
      expect(created.status).toBe(200);
      expect(await buyerDecides(`${wallet.url}/sandbox/payments/${paymentId}`, 'approve')).toBe(200);
      await wallet.webhooks.idle();
      await wallet.stop();
    }

    test('accepts the wallet’s signed events once each, in order', async () => {
      received.length = 0;
      const server = await receiver(SECRET);
      await approvedPayment(server.url);
      await server.stop();
      expect(received.map(({ status, type }) => [status, type])).toEqual([
        [200, 'payment.processing'],
        [200, 'payment.succeeded'],
      ]);
      expect(receiveWalletWebhook(SECRET, received[0]!.body, { 'x-interop-signature': signatureHeader(SECRET, { context: 'wallet-webhook', body: received[0]!.body }) })).toEqual({ status: 200 });
    });

    test('refuses events signed with another secret with 401, which the wallet does not retry', async () => {
      received.length = 0;
      const server = await receiver('not-the-wallets-secret');
      await approvedPayment(server.url);
      await server.stop();
      expect(received.map(({ status }) => status)).toEqual([401, 401]);
    });

    test('the page’s signed request is one the graph accepts, with the fields a real delivery has', async () => {
      const block = docBlocks.find((candidate) => candidate.lang === 'http' && candidate.text.includes('x-interop-signature:'));
      const [head = '', body = ''] = (block?.text ?? '').split('\n\n');
      const header = /^x-interop-signature: (.+)$/m.exec(head)?.[1];
      const timestamp = Number(/t=(\d+)/.exec(header ?? '')?.[1]);
      const rawBody = body.trimEnd();
      const options = { nowSeconds: timestamp };
      expect(verifySignature('whsec-docs-example-secret', { context: 'wallet-webhook', body: rawBody }, header, options)).toEqual({ ok: true });
      expect(verifyWalletWebhook('whsec-docs-example-secret', rawBody, header, options)).toEqual({ ok: true });

      received.length = 0;
      const server = await receiver(SECRET);
      await approvedPayment(server.url);
      await server.stop();
      const shape = (json: string) => Object.entries(JSON.parse(json) as Record<string, unknown>).map(([key, value]) => [key, typeof value]);
      expect(shape(rawBody)).toEqual(shape(received[1]!.body));
    });
  });
});

describe('webhook-receiver.ts, a partner’s receiver', () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const money = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
  const eventBody = (id: string, type = 'payment.succeeded') =>
    JSON.stringify({
      id,
      type,
      createdAt: new Date().toISOString(),
      paymentVersion: 3,
      data: {
        payment: {
          id: 'pay_docs_receiver',
          status: 'SUCCEEDED',
          amount: money(12_345),
          refundedAmount: money(0),
          platformId: 'taobao',
          merchantId: 'm0000002',
          paymentToolId: 'wechat-pay',
          channel: 'WEB',
          reference: 'order-1',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          refunds: [],
        },
      },
    });

  /** The example on a free port, holding `secret`; what it applied, in order. */
  async function receiver(secret: string | readonly string[], fail = () => false) {
    const applied: PartnerWebhookEvent[] = [];
    const started = await startWebhookReceiver({
      port: 0,
      secret,
      onEvent: async (event) => {
        if (fail()) throw new Error('the order store is down');
        applied.push(event);
      },
    });
    const post = async (body: string, signature: string | undefined, path = '/webhooks') =>
      (
        await fetch(new URL(path, started.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'interop-signature': signature }) },
          body,
        })
      ).status;
    return { ...started, applied, post };
  }

  test('a delivery the graph signs is applied once and answered 200, again 200 without applying it twice', async () => {
    const secret = newSecret();
    const server = await receiver(secret);
    try {
      const body = eventBody('evt_docs_1');
      expect(await server.post(body, signWebhookPayload([secret], nowSeconds(), body))).toBe(200);
      expect(await server.post(body, signWebhookPayload([secret], nowSeconds(), body))).toBe(200);
      expect(server.applied).toEqual([JSON.parse(body)]);
    } finally {
      await server.close();
    }
  });

  test('a forged, tampered, unsigned or stale delivery is answered 4xx and applies nothing', async () => {
    const secret = newSecret();
    const server = await receiver(secret);
    try {
      const body = eventBody('evt_docs_2');
      const answers = [
        await server.post(body, signWebhookPayload([newSecret()], nowSeconds(), body)),
        await server.post(body.replace('12345', '1'), signWebhookPayload([secret], nowSeconds(), body)),
        await server.post(body, undefined),
        await server.post(body, signWebhookPayload([secret], nowSeconds() - 3_600, body)),
        await server.post(body, 'signed'),
      ];
      expect(answers.every((status) => status >= 400 && status < 500)).toBe(true);
      expect(server.applied).toEqual([]);
      expect(await server.post(body, signWebhookPayload([secret], nowSeconds(), body), '/elsewhere')).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('during a rotation a receiver holding either secret, or both, accepts a delivery signed with both', async () => {
    const [previous, next] = [newSecret(), newSecret()];
    for (const held of [previous, next, [next, previous]]) {
      const server = await receiver(held);
      try {
        const body = eventBody('evt_docs_3');
        expect(await server.post(body, signWebhookPayload([next, previous], nowSeconds(), body))).toBe(200);
        expect(server.applied.map((event) => event.id)).toEqual(['evt_docs_3']);
      } finally {
        await server.close();
      }
    }
  });

  test('an event it could not apply is answered 5xx, and applied when the graph sends it again', async () => {
    const secret = newSecret();
    let down = true;
    const server = await receiver(secret, () => down);
    try {
      const body = eventBody('evt_docs_4', 'payment.failed');
      expect(await server.post(body, signWebhookPayload([secret], nowSeconds(), body))).toBe(500);
      down = false;
      expect(await server.post(body, signWebhookPayload([secret], nowSeconds(), body))).toBe(200);
      expect(server.applied.map((event) => event.id)).toEqual(['evt_docs_4']);
    } finally {
      await server.close();
    }
  });

  test('the page’s delivery is what the graph’s signer makes, and the SDK verifies and reads it', () => {
    const block = docBlocks.find((candidate) => candidate.lang === 'http' && candidate.text.includes('interop-signature:'));
    const [head = '', body = ''] = (block?.text ?? '').split('\n\n');
    const header = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(head)?.[1];
    const signature = header('interop-signature');
    const timestamp = Number(/t=(\d+)/.exec(signature ?? '')?.[1]);
    const rawBody = body.trimEnd();
    const secret = /`(whsec_[\w-]+)`/.exec(readFileSync(join(DOCS, 'webhooks.md'), 'utf8'))?.[1] ?? '';
    expect(signWebhookPayload([secret], timestamp, rawBody)).toBe(signature);
    expect(verifyWebhook(secret, rawBody, signature, { nowSeconds: timestamp })).toEqual({ ok: true });
    const event = parseWebhookEvent(rawBody);
    expect([header('interop-event-id'), header('interop-event-type')]).toEqual([event.id, event.type]);
    expect(header('content-type')).toBe('application/json');
  });
});

describe('webhook-endpoints.ts, registering the receiver with the graph', () => {
  test('a payment’s events reach the receiver in order, are listed with their attempts, survive a rotation, and stay the partner’s own', async () => {
    const port = await freePort();
    const partner = webhookEndpoints(url, PARTNER_A.key);
    const created = await partner.create({
      url: `http://127.0.0.1:${port}/webhooks`,
      events: ['PAYMENT_CREATED', 'PAYMENT_REQUIRES_ACTION', 'PAYMENT_PROCESSING', 'PAYMENT_SUCCEEDED'],
      description: 'docs receiver',
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await partner.list()).map((endpoint) => endpoint.id)).toContain(created.endpoint.id);
    const other = webhookEndpoints(url, PARTNER_B.key);
    expect((await other.list()).map((endpoint) => endpoint.id)).not.toContain(created.endpoint.id);

    const applied: PartnerWebhookEvent[] = [];
    let succeeded: (event: PartnerWebhookEvent) => void = () => {};
    const settled = new Promise<PartnerWebhookEvent>((resolve) => (succeeded = resolve));
    const server = await startWebhookReceiver({
      port,
      secret: created.secret,
      onEvent: async (event) => {
        applied.push(event);
        if (event.type === 'payment.succeeded') succeeded(event);
      },
    });
    try {
      const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
      const payment = await createInteropClient({ url, apiKey: PARTNER_A.key }).initiatePayment({
        platformId: 'taobao',
        merchantId,
        paymentToolId: 'alipay',
        amount: { amountMinor: 4_200, currency: 'CNY' },
        reference: 'order-docs-webhooks',
      });
      expect(await buyerDecides(payment.nextAction!.url, 'approve')).toBe(200);
      const last = await settled;
      const mine = applied.filter((event) => event.data.payment.id === payment.id);
      expect(mine.map((event) => event.type)).toEqual(['payment.created', 'payment.requires_action', 'payment.processing', 'payment.succeeded']);
      expect(mine.map((event) => event.paymentVersion)).toEqual([...mine.map((event) => event.paymentVersion)].sort((a, b) => a - b));
      expect(last.data.payment.status).toBe('SUCCEEDED');

      // The receiver has answered each; the graph records the answer just after, so wait until it has.
      const listed = async () => (await partner.deliveries(created.endpoint.id)).edges.map((edge) => edge.node).filter((node) => node.event.paymentId === payment.id);
      let deliveries = await listed();
      for (const deadline = Date.now() + 10_000; deliveries.some((delivery) => delivery.status === 'PENDING') && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        deliveries = await listed();
      }
      expect(deliveries.map((delivery) => [delivery.event.type, delivery.status, delivery.attempts.at(-1)?.statusCode])).toEqual(
        ['PAYMENT_SUCCEEDED', 'PAYMENT_PROCESSING', 'PAYMENT_REQUIRES_ACTION', 'PAYMENT_CREATED'].map((type) => [type, 'DELIVERED', 200]),
      );

      // While the old secret still signs, the receiver that holds only it accepts a redelivery.
      const rotated = await partner.rotateSecret(created.endpoint.id, 3_600);
      expect(rotated.secret).not.toBe(created.secret);
      await expect(other.redeliver(last.id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      const [again] = (await partner.redeliver(last.id, created.endpoint.id)) ?? [];
      expect(again).toBeDefined();
      // A redelivery is a delivery of its own, of the same event, with its own attempts.
      const statusOf = async () => (await partner.deliveries(created.endpoint.id)).edges.find((edge) => edge.node.id === again!.id)?.node;
      const deadline = Date.now() + 30_000;
      while ((await statusOf())?.status !== 'DELIVERED' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const redelivered = await statusOf();
      expect([redelivered?.event.id, redelivered?.status, redelivered?.attempts.map((attempt) => attempt.statusCode)]).toEqual([last.id, 'DELIVERED', [200]]);
      // The receiver had the event already: it acknowledged and applied nothing twice.
      expect(applied.filter((event) => event.id === last.id)).toHaveLength(1);
    } finally {
      await partner.delete(created.endpoint.id);
      await server.close();
    }
    expect((await partner.list()).map((endpoint) => endpoint.id)).not.toContain(created.endpoint.id);
  }, 60_000);
});

test('every file in docs/examples is run above', () => {
  const run = ['apollo-cache.ts', 'start-checkout.ts', 'first-payment.ts', 'follow-payment.ts', 'follow-payment-http.ts', 'follow-payment-sse.ts', 'websocket-only.ts', 'credentials.ts', 'order-key.ts', 'handle-errors.ts', 'probe.ts', 'receive-wallet-webhook.ts', 'webhook-receiver.ts', 'webhook-endpoints.ts'];
  expect(readdirSync(EXAMPLES).sort()).toEqual(run.sort());
});
