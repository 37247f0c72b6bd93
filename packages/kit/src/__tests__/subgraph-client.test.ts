// The client a subgraph uses to ask a peer: every way a peer can fail
// (refused, silent, non-200, GraphQL errors) becomes DEPENDENCY_UNAVAILABLE
// naming the peer; a good answer comes back as its data.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, print } from 'graphql';
import { AppError, ErrorCode } from '../errors';
import { entityFragment, SubgraphClient } from '../subgraph-client';

interface Received {
  query: string;
  variables: Record<string, unknown>;
}

const SIGNER = { name: 'payments', signingSecret: 'subgraph-client-test-secret' };

type Handler = (body: Received, res: ServerResponse) => void;

const servers: Server[] = [];

/** A peer on a port the OS picks; `handler` answers (or does not). */
async function peer(handler: Handler): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received;
      received.push(body);
      handler(body, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, received };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The AppError `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function expectUnavailable(promise: Promise<unknown>, dependency: string): Promise<void> {
  const error = await rejection(promise);
  expect(error.extensions).toEqual({ code: ErrorCode.DEPENDENCY_UNAVAILABLE, dependency });
}

/** A URL on which nothing listens: a port the OS handed out, closed again. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

test('a refused connection is DEPENDENCY_UNAVAILABLE naming the peer', async () => {
  const client = new SubgraphClient({ name: 'commerce', url: await closedUrl(), timeoutMs: 2000, from: SIGNER });
  await expectUnavailable(client.request('{ __typename }'), 'commerce');
});

test('a peer that never answers fails once the timeout has passed, after the request reached it', async () => {
  const silent = await peer(() => {
    /* never answers */
  });
  // A second: long enough that a loaded machine still delivers the request
  // before it, so the failure is the timeout's and not a refusal's.
  const client = new SubgraphClient({ name: 'payments', url: silent.url, timeoutMs: 1000, from: SIGNER });
  const started = performance.now();
  await expectUnavailable(client.request('{ __typename }'), 'payments');
  expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  expect(silent.received).toHaveLength(1);
});

test('GraphQL errors in the payload are DEPENDENCY_UNAVAILABLE, even with partial data', async () => {
  const failing = await peer((_body, res) => json(res, 200, { data: null, errors: [{ message: 'boom' }] }));
  const partial = await peer((_body, res) => json(res, 200, { data: { a: 1 }, errors: [{ message: 'boom', path: ['b'] }] }));
  await expectUnavailable(new SubgraphClient({ name: 'merchants', url: failing.url, timeoutMs: 2000, from: SIGNER }).request('{ a }'), 'merchants');
  await expectUnavailable(new SubgraphClient({ name: 'merchants', url: partial.url, timeoutMs: 2000, from: SIGNER }).request('{ a b }'), 'merchants');
});

test('a non-200 answer, a body that is not JSON and an answer without data are DEPENDENCY_UNAVAILABLE', async () => {
  const status500 = await peer((_body, res) => json(res, 500, { data: { a: 1 } }));
  const notJson = await peer((_body, res) => res.end('<html>oops</html>'));
  const noData = await peer((_body, res) => json(res, 200, {}));
  for (const { url } of [status500, notJson, noData]) {
    await expectUnavailable(new SubgraphClient({ name: 'commerce', url, timeoutMs: 2000, from: SIGNER }).request('{ a }'), 'commerce');
  }
});

test('a good answer returns its data; query and variables are posted as given', async () => {
  const good = await peer((_body, res) => json(res, 200, { data: { platform: { id: 'taobao' } } }));
  const client = new SubgraphClient({ name: 'commerce', url: good.url, timeoutMs: 2000, from: SIGNER });
  expect(client.name).toBe('commerce');
  const query = 'query ($id: ID!) { platform(id: $id) { id } }';
  await expect(client.request(query, { id: 'taobao' })).resolves.toEqual({ platform: { id: 'taobao' } });
  expect(good.received).toEqual([{ query, variables: { id: 'taobao' } }]);
});

test('the URL may be given late, as a function read on each request', async () => {
  const good = await peer((_body, res) => json(res, 200, { data: { ok: true } }));
  let url = await closedUrl();
  const client = new SubgraphClient({ name: 'commerce', url: () => url, timeoutMs: 2000, from: SIGNER });
  await expectUnavailable(client.request('{ ok }'), 'commerce');
  url = good.url;
  await expect(client.request('{ ok }')).resolves.toEqual({ ok: true });
});

describe('entities', () => {
  test('asks _entities with the representations and variables and returns the list, nulls kept', async () => {
    const good = await peer((_body, res) =>
      json(res, 200, { data: { _entities: [{ status: 'ACTIVE' }, null] } }),
    );
    const client = new SubgraphClient({ name: 'merchants', url: good.url, timeoutMs: 2000, from: SIGNER });
    const representations = [
      { __typename: 'Merchant', id: 'm0000001' },
      { __typename: 'Merchant', id: 'nope' },
    ];
    const fragment = entityFragment<{ status: string }>(`fragment MerchantStatus on Merchant { status storefront(platformId: $p) { id } }`);
    const result = await client.entities(fragment, representations, { p: { type: 'ID!', value: 'taobao' } });
    expect(result).toEqual([{ status: 'ACTIVE' }, null]);
    expect(good.received).toHaveLength(1);
    const [sent] = good.received;
    expect(sent?.variables).toEqual({ p: 'taobao', representations });
    expect(print(parse(sent?.query ?? ''))).toBe(
      print(
        parse(/* GraphQL */ `query ($representations: [_Any!]!, $p: ID!) {
          _entities(representations: $representations) { ...MerchantStatus }
        }
        fragment MerchantStatus on Merchant { status storefront(platformId: $p) { id } }`),
      ),
    );
  });

  test('several fragments go in one call, each spread', async () => {
    const good = await peer((_body, res) => json(res, 200, { data: { _entities: [{ status: 'ACTIVE' }, { enrolledTools: [] }] } }));
    const client = new SubgraphClient({ name: 'merchants', url: good.url, timeoutMs: 2000, from: SIGNER });
    const merchant = entityFragment<{ status: string }>('fragment M on Merchant { status }');
    const storefront = entityFragment<{ enrolledTools: { id: string }[] }>('fragment S on Storefront { enrolledTools { id } }');
    const result = await client.entities([merchant, storefront], [
      { __typename: 'Merchant', id: 'm0000001' },
      { __typename: 'Storefront', id: 'm0000001:taobao' },
    ]);
    expect(result).toEqual([{ status: 'ACTIVE' }, { enrolledTools: [] }]);
    const document = parse(good.received[0]?.query ?? '');
    expect(document.definitions.map((definition) => ('name' in definition ? definition.name?.value : undefined))).toEqual([undefined, 'M', 'S']);
  });

  test('a text that is not a fragment on a type is refused where it is written', () => {
    expect(() => entityFragment('query { ok }')).toThrow();
  });

  test('no representations means no request', async () => {
    const counted = await peer((_body, res) => json(res, 200, { data: { _entities: [] } }));
    const client = new SubgraphClient({ name: 'merchants', url: counted.url, timeoutMs: 2000, from: SIGNER });
    await expect(client.entities(entityFragment('fragment Id on Merchant { id }'), [])).resolves.toEqual([]);
    expect(counted.received).toHaveLength(0);
  });

  test('a failing peer fails entities the same way', async () => {
    const client = new SubgraphClient({ name: 'payments', url: await closedUrl(), timeoutMs: 2000, from: SIGNER });
    await expectUnavailable(client.entities(entityFragment('fragment Id on PaymentTool { id }'), [{ __typename: 'PaymentTool', id: 'alipay' }]), 'payments');
  });
});
