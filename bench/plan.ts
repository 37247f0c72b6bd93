// Before any timing: how to reach each operation in each measured mode and
// the exact answer every request must get there, or, where each request gets
// a new answer, where that answer is fetched after the run. Our gateway must
// answer what the stock one does, wherever the stock gateway can run the
// operation at all.
import { BENCH_RATE_LIMIT, CLIENT_HEADERS, signedFor } from './auth';
import type { SubgraphCall } from './capture';
import type { Gateway } from './cluster';
import { ownNumbers, send, takeRequestNumber, type Target } from './load';
import type { Operation } from './operations';
import type { Mode } from './report';
import { hasErrors } from './verify';

export class VerificationError extends Error {}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new VerificationError(message);
}


const errorCodes = (text: string): unknown[] => {
  try {
    return ((JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] }).errors ?? []).map((error) => error.extensions?.code);
  } catch {
    return [];
  }
};

/** How to reach one operation in each mode, with how every request's answer is checked. */
export interface Plan {
  op: Operation;
  gateways: Map<Gateway['name'], Target>;
  /** One target per subgraph call our gateway makes, in waves; absent when another operation's stands in. */
  direct?: { calls: SubgraphCall[]; targets: Target[] };
  /** Modes that cannot run the operation, each with the reason (verified, not assumed). */
  notMeasured: Partial<Record<Mode, string>>;
}

/**
 * The limiter must be on, so that its cost is in every measurement, with the
 * bench's budget, so that it never refuses: a default budget would turn most
 * of a run into 429s.
 */
export async function checkRateLimit(ours: Gateway): Promise<void> {
  const answer = await send(ours.url, '{"query":"{ __typename }"}', CLIENT_HEADERS);
  const limit = answer.headers.get('ratelimit-limit');
  check(
    answer.status === 200 && limit === String(BENCH_RATE_LIMIT.points),
    `our gateway answered ${answer.status} with RateLimit-Limit ${limit}, not the bench budget of ${BENCH_RATE_LIMIT.points}: was its config file read?`,
  );
}

/**
 * An operation only a partner may run reaches the subgraphs through the stock
 * gateway as an anonymous call, which they refuse. The refusal is checked, so
 * the reason reported for the missing measurement is known to hold.
 */
async function refusedByStock(op: Operation, stock: Gateway): Promise<string> {
  const i = takeRequestNumber();
  const answer = await send(stock.url, op.body(i), op.headers(i));
  check(
    errorCodes(answer.text).includes('UNAUTHENTICATED'),
    `op ${op.id}: the stock gateway was expected to be refused with UNAUTHENTICATED but answered ${answer.status} ${answer.text.slice(0, 300)}`,
  );
  return 'stock @apollo/gateway cannot carry a partner identity to the subgraphs, so they answer it UNAUTHENTICATED';
}

/** The subgraph calls our gateway made for request `c`, captured before timing. */
export interface Capture {
  c: number;
  calls: SubgraphCall[];
}

/**
 * Fetches the reference answers outside any timed run: the stock gateway's,
 * which ours must equal, or, where the stock gateway cannot run the operation,
 * ours, which must be free of errors and the same on every request. The only
 * rewriting is of what differs by construction between two requests: the
 * alias or key in `token`. An operation whose answers differ per request
 * (`answerKey`) is checked once here and then request by request after each
 * timed run, against the reference's answer to the same request.
 */
export async function plan(op: Operation, ours: Gateway, stock: Gateway, captures: Capture[] | undefined): Promise<Plan> {
  const swap = (text: string, from: number, to: number) => (op.token ? text.replaceAll(op.token(from), op.token(to)) : text);
  const notMeasured: Plan['notMeasured'] = op.needsCredential ? { stock: await refusedByStock(op, stock) } : {};
  const reference = notMeasured.stock ? ours : stock;
  /** Ours answers request `j` exactly as the reference answered request `i`, but for the token; returns the reference's answer. */
  const agree = async (i: number, j: number) => {
    const [fromReference, fromOurs] = await Promise.all([send(reference.url, op.body(i), op.headers(i)), send(ours.url, op.body(j), op.headers(j))]);
    check(fromReference.status === 200 && !hasErrors(fromReference.text), `op ${op.id}: ${reference.name} answered ${fromReference.status} ${fromReference.text.slice(0, 300)}`);
    check(fromOurs.text === swap(fromReference.text, i, j), `op ${op.id}: ours answered ${fromOurs.text.slice(0, 300)}; ${reference.name} ${fromReference.text.slice(0, 300)}`);
    return fromReference.text;
  };
  const headers = (_body: string, i: number) => op.headers(i);
  let answers: Pick<Target, 'expected' | 'reference'>;
  if (op.answerKey) {
    const i = takeRequestNumber();
    await agree(i, i);
    answers = {
      reference: {
        name: `the ${reference.name} gateway`,
        fetch: (j) => send(reference.url, op.body(j), op.headers(j)),
        key: op.answerKey,
        rewrite: swap,
      },
    };
  } else if (op.token && !op.pool) {
    const [a, b] = [takeRequestNumber(), takeRequestNumber()];
    const answer = await agree(a, b);
    answers = { expected: (i) => swap(answer, a, i) };
  } else {
    const known: string[] = [];
    for (let v = 0; v < (op.pool ?? 1); v += 1) known.push(await agree(v, v));
    answers = { expected: (i) => known[i % known.length]! };
  }
  const gatewayTarget = (gateway: Gateway): Target => ({ url: gateway.url, body: op.body, headers, ...answers });
  const gateways = new Map<Gateway['name'], Target>([['ours', gatewayTarget(ours)]]);
  if (!notMeasured.stock) gateways.set('stock', gatewayTarget(stock));
  if (!captures?.length) return { op, gateways, notMeasured };
  const first = captures[0]!;
  for (const capture of captures) {
    for (const call of capture.calls) check(!hasErrors(call.response), `op ${op.id}: the ${call.subgraph} subgraph answered ${call.response.slice(0, 300)}`);
    check(
      capture.calls.map((call) => `${call.subgraph}@${call.wave}`).join() === first.calls.map((call) => `${call.subgraph}@${call.wave}`).join(),
      `op ${op.id}: our gateway called the subgraphs differently for two of its variants`,
    );
  }
  const targets = await Promise.all(first.calls.map((call, k) => (captures.length > 1 ? replayCaptured(captures, k) : replay(op, call, first.c, swap))));
  return { op, gateways, direct: { calls: first.calls, targets }, notMeasured };
}

/** Call `k` of the captured variants in turn, each with the answer the subgraph gave it then. */
function replayCaptured(captures: Capture[], k: number): Target {
  const call = (i: number) => captures[i % captures.length]!.calls[k]!;
  return {
    url: call(0).url,
    body: (i) => call(i).body,
    headers: (body, i) => signedFor(call(i).caller, call(i).subgraph)(body),
    expected: (i) => call(i).response,
    numbers: ownNumbers(),
  };
}

/** One captured call, with the token of request `c` rewritten for each request. */
async function replay(op: Operation, call: SubgraphCall, c: number, swap: (text: string, from: number, to: number) => string): Promise<Target> {
  const body = (i: number) => swap(call.body, c, i);
  // As our gateway sends it: signed for the caller it signed the captured call for, over each request's own body.
  const signed = signedFor(call.caller, call.subgraph);
  const headers = (text: string) => signed(text);
  if (op.answerKey) {
    // A new answer per request: the subgraph's own answer to the same request, asked again afterwards.
    // The subgraphs keep no answers, so the replay may repeat the gateways' variants: it does not use them up.
    return {
      url: call.url,
      body,
      headers,
      reference: { name: `the ${call.subgraph} subgraph`, fetch: (i) => send(call.url, body(i), signed(body(i))), key: body },
      numbers: ownNumbers(),
    };
  }
  if (!op.pool) return { url: call.url, body, headers, expected: (i) => swap(call.response, c, i) };
  const answers: string[] = [];
  for (let v = 0; v < op.pool; v += 1) {
    const direct = await send(call.url, body(v), signed(body(v)));
    check(direct.status === 200 && !hasErrors(direct.text), `op ${op.id}: ${call.subgraph} answered ${direct.text.slice(0, 300)}`);
    answers.push(direct.text);
  }
  return { url: call.url, body, headers, expected: (i) => answers[i % answers.length]! };
}
