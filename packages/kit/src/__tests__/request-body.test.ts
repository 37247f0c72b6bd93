// A GraphQL request's body is read whole up to the server's limit. A body
// over it, declared or only sent, is refused with 413 and the connection
// closes after the answer, so the rest is never read; a body cut short is a
// client gone, not a server failure.
import { request, type Server } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { createGraphQLHttpServer, listen } from '../http';
import { createLogger } from '../logger';

const LIMIT = 1024;

let apollo: ApolloServer;
let server: Server;
let port: number;
let errorLines: string[];

beforeAll(async () => {
  apollo = new ApolloServer({ typeDefs: 'type Query { echo(text: String!): String! }', resolvers: { Query: { echo: (_: unknown, args: { text: string }) => args.text } } });
  await apollo.start();
  errorLines = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as { level: number };
      if (line.level >= 50) errorLines.push(chunk.toString());
      done();
    },
  });
  server = createGraphQLHttpServer({
    apollo,
    graphqlPaths: ['/graphql'],
    context: async () => ({}),
    maxBodyBytes: LIMIT,
    logger: createLogger('request-body-test', { destination, level: 'error' }),
  });
  port = await listen(server, 0, '127.0.0.1');
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await apollo.stop();
});

interface Answer {
  status: number;
  connection: string | undefined;
  codes: string[];
}

/** POSTs `parts` one write each; with `declared`, as the Content-Length, otherwise chunked. */
function post(parts: string[], declared?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (declared !== undefined) headers['content-length'] = declared;
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        const body = JSON.parse(text) as { errors?: { extensions: { code: string } }[] };
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, codes: (body.errors ?? []).map((e) => e.extensions.code) });
      });
    });
    // The server may answer and close before every part is written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    for (const part of parts) req.write(part);
    req.end();
  });
}

const echo = (text: string) => JSON.stringify({ query: 'query Echo($text: String!) { echo(text: $text) }', variables: { text } });

test('a body within the limit is read whole, however it arrives', async () => {
  const body = echo('x'.repeat(LIMIT - 200));
  const halves = [body.slice(0, 300), body.slice(300)];
  for (const answer of [await post(halves), await post(halves, Buffer.byteLength(body))]) {
    expect(answer.status).toBe(200);
    expect(answer.codes).toEqual([]);
  }
});

test('a body over the limit is refused with 413 and BAD_REQUEST, its connection closed: declared or only sent', async () => {
  const over = echo('x'.repeat(LIMIT));
  const declared = await post([over.slice(0, 10)], Buffer.byteLength(over));
  const sent = await post([over.slice(0, 600), over.slice(600)]);
  for (const answer of [declared, sent]) {
    expect(answer.status).toBe(413);
    expect(answer.codes).toEqual(['BAD_REQUEST']);
    expect(answer.connection).toBe('close');
  }
});

test('a client that goes before its whole body is sent logs no server failure, and the server answers the next request', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query":');
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.destroy();
  const next = await post([echo('after')]);
  expect(next.status).toBe(200);
  expect(errorLines).toEqual([]);
});
