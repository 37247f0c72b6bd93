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
  // When the sender made each request: on a busy machine the server, on this same event loop, reads them later.
  const madeAt: number[] = [];
  const out: Outgoing = {
    url,
    body: (i) => `{"i":${i}}`,
    headers: () => ({ 'x-request': 'yes' }),
    next: () => {
      madeAt.push(performance.now());
      return next++;
    },
  };
  const answers: { i: number; status: number; body: string; ms: number }[] = [];
  const rate = 20;
  const started = performance.now();
  const sender = (running = paced(out, rate, 50, (i, status, body, ms) => answers.push({ i, status, body, ms })));
  await new Promise((resolve) => setTimeout(resolve, LOOK_AFTER_MS));
  const sent = next;
  const due = Math.floor(((performance.now() - started) * rate) / 1000) + 1;
  // None is answered yet: requests left without waiting for answers.
  expect(answers).toHaveLength(0);
  // Never ahead of the rate: request k leaves no earlier than k / rate seconds after the start, and no more left than are due.
  expect(madeAt.filter((at, k) => at < started + (k * 1000) / rate)).toEqual([]);
  expect(sent).toBeLessThanOrEqual(due);
  // Not behind it: by its last request every request due then had left, a tick that came late catching up.
  // (Compared with the sender's own last tick, not with this look: a look the busy loop delays can run
  // before the sender's next tick, whose timer fell due after the look's.)
  expect(sent).toBeGreaterThanOrEqual(Math.floor(((madeAt.at(-1)! - started) * rate) / 1000) + 1 - 2);
  // And it kept sending until the look.
  expect(sent).toBeGreaterThanOrEqual(due / 2);
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
