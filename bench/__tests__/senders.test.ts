// At a fixed rate the bench sends in an open loop: requests leave on schedule
// while earlier ones are still unanswered, and each latency runs from the
// moment its request was due.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paced, type Outgoing, type Sender } from '../senders';

// Answers are held past the moment the test looks at what was sent, with a
// second to spare for a timer that fires late on a busy machine.
const LOOK_AFTER_MS = 1_000;
const HOLD_MS = 2_000;
let server: Server;
let url: string;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(body);
      // Every answer is held, so a sender that waited for answers would send one per connection per hold.
      setTimeout(() => response.end(`{"echo":${body}}`), HOLD_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
let running: Sender | undefined;
afterAll(async () => {
  // A sender left running by a failed test would keep the server from closing.
  await running?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('requests leave at the rate whatever the answers do, each answer with its own request and a latency from when it was due', async () => {
  let next = 0;
  const out: Outgoing = { url, body: (i) => `{"i":${i}}`, headers: () => ({ 'x-request': 'yes' }), next: () => next++ };
  const answers: { i: number; status: number; body: string; ms: number }[] = [];
  const rate = 20;
  const started = performance.now();
  const sender = (running = paced(out, rate, 50, (i, status, body, ms) => answers.push({ i, status, body, ms })));
  await new Promise((resolve) => setTimeout(resolve, LOOK_AFTER_MS));
  // At 20 a second, every request due by now has been sent, and none is answered yet. Counted as
  // the sender made them: on a busy machine the server, on this same event loop, reads them later.
  const sent = next;
  const due = Math.floor(((performance.now() - started) * rate) / 1000) + 1;
  expect(answers).toHaveLength(0);
  expect(sent).toBeGreaterThanOrEqual(due - 2);
  expect(sent).toBeLessThanOrEqual(due);
  const { errors } = await sender.stop();
  running = undefined;
  expect(errors).toBe(0);
  // stop() waits for every request that left: each reached the server and was answered.
  expect(received).toHaveLength(next);
  expect(answers).toHaveLength(next);
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ echo: { i: answer.i } });
    expect(answer.ms).toBeGreaterThanOrEqual(HOLD_MS);
  }
  expect(new Set(answers.map((a) => a.i)).size).toBe(answers.length);
});

test('a request that gets no answer counts as an error, not an answer', async () => {
  const closed = createServer((request) => request.socket.destroy());
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  try {
    let next = 0;
    const out: Outgoing = { url: `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`, body: () => '{}', headers: () => ({}), next: () => next++ };
    const answers: number[] = [];
    const sender = paced(out, 10, 5, (i) => answers.push(i));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { errors } = await sender.stop();
    expect(answers).toHaveLength(0);
    expect(errors).toBe(next);
    expect(errors).toBeGreaterThan(0);
  } finally {
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  }
});
