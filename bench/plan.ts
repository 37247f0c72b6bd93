// Before any timing: how to reach each operation in each measured mode and
// the exact answer every request must get there. Our gateway must answer what
// the stock one does, wherever the stock gateway can run the operation at all.
import { BENCH_RATE_LIMIT, CLIENT_HEADERS, signedFor } from './auth';
import type { SubgraphCall } from './capture';
import type { Gateway } from './cluster';
import { send, takeRequestNumber, type Target } from './load';
import type { Operation } from './operations';
import type { Mode } from './report';

export class VerificationError extends Error {}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new VerificationError(message);
}

export const hasErrors = (text: string) => {
  try {
    return 'errors' in (JSON.parse(text) as object);
  } catch {
    return true;
  }
};

const errorCodes = (text: string): unknown[] => {
  try {
    return ((JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] }).errors ?? []).map((error) => error.extensions?.code);
  } catch {
    return [];
  }
};

/** How to reach one operation in each mode, with the exact answer every request must get. */
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
  const answer = await send(stock.url, op.body(takeRequestNumber()), CLIENT_HEADERS);
  check(
    errorCodes(answer.text).includes('UNAUTHENTICATED'),
    `op ${op.id}: the stock gateway was expected to be refused with UNAUTHENTICATED but answered ${answer.status} ${answer.text.slice(0, 300)}`,
  );
  return 'stock @apollo/gateway cannot carry a partner identity to the subgraphs, so they answer it UNAUTHENTICATED';
}

/**
 * Fetches the reference answers outside any timed run: the stock gateway's,
 * which ours must equal, or, where the stock gateway cannot run the operation,
 * ours, which must be free of errors and the same on every request. The only
 * rewriting is of what differs by construction between two requests: the
 * alias or key in `token`.
 */
export async function plan(op: Operation, ours: Gateway, stock: Gateway, calls: { c: number; calls: SubgraphCall[] } | undefined): Promise<Plan> {
  const swap = (text: string, from: number, to: number) => (op.token ? text.replaceAll(op.token(from), op.token(to)) : text);
  const notMeasured: Plan['notMeasured'] = op.needsCredential ? { stock: await refusedByStock(op, stock) } : {};
  const reference = notMeasured.stock ? ours : stock;
  /** Ours answers request `j` exactly as the reference answered request `i`, but for the token; returns the reference's answer. */
  const agree = async (i: number, j: number) => {
    const [fromReference, fromOurs] = await Promise.all([send(reference.url, op.body(i), CLIENT_HEADERS), send(ours.url, op.body(j), CLIENT_HEADERS)]);
    check(fromReference.status === 200 && !hasErrors(fromReference.text), `op ${op.id}: ${reference.name} answered ${fromReference.status} ${fromReference.text.slice(0, 300)}`);
    check(fromOurs.text === swap(fromReference.text, i, j), `op ${op.id}: ours answered ${fromOurs.text.slice(0, 300)}; ${reference.name} ${fromReference.text.slice(0, 300)}`);
    return fromReference.text;
  };
  let expected: (i: number) => string;
  if (op.token && !op.pool) {
    const [a, b] = [takeRequestNumber(), takeRequestNumber()];
    const answer = await agree(a, b);
    expected = (i) => swap(answer, a, i);
  } else {
    const answers: string[] = [];
    for (let v = 0; v < (op.pool ?? 1); v += 1) answers.push(await agree(v, v));
    expected = (i) => answers[i % answers.length]!;
  }
  const gatewayTarget = (gateway: Gateway): Target => ({ url: gateway.url, body: op.body, headers: () => CLIENT_HEADERS, expected });
  const gateways = new Map<Gateway['name'], Target>([['ours', gatewayTarget(ours)]]);
  if (!notMeasured.stock) gateways.set('stock', gatewayTarget(stock));
  if (!calls) return { op, gateways, notMeasured };
  const targets: Target[] = [];
  for (const call of calls.calls) {
    check(!hasErrors(call.response), `op ${op.id}: the ${call.subgraph} subgraph answered ${call.response.slice(0, 300)}`);
    const body = (i: number) => swap(call.body, calls.c, i);
    // As our gateway sends it: signed for the caller it signed the captured call for, over each request's own body.
    const headers = signedFor(call.caller, call.subgraph);
    if (op.pool) {
      const answers: string[] = [];
      for (let v = 0; v < op.pool; v += 1) {
        const direct = await send(call.url, body(v), headers(body(v)));
        check(direct.status === 200 && !hasErrors(direct.text), `op ${op.id}: ${call.subgraph} answered ${direct.text.slice(0, 300)}`);
        answers.push(direct.text);
      }
      targets.push({ url: call.url, body, headers, expected: (i) => answers[i % answers.length]! });
    } else {
      targets.push({ url: call.url, body, headers, expected: (i) => swap(call.response, calls.c, i) });
    }
  }
  return { op, gateways, direct: { calls: calls.calls, targets }, notMeasured };
}
