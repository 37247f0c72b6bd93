// Checks answers whose right value is not known before the run: each is
// recorded (as a digest) by request number while it is timed, and compared
// afterwards, untimed, with the reference's answer to the same request (the
// stock gateway's, or the subgraph's own for the direct replay).
import { createHash } from 'node:crypto';
import { groupBy } from '@interop/kit/db';

export const hasErrors = (text: string) => {
  try {
    return 'errors' in (JSON.parse(text) as object);
  } catch {
    return true;
  }
};

/** A digest is all that is kept of each answer: a run records tens of thousands. */
export const digest = (text: string) => createHash('sha1').update(text).digest('base64');

/** The answers of one timed run, by request number. */
export class AnswerLog {
  private readonly digests = new Map<number, string>();
  /** The first answer that reported errors, kept whole enough to say what went wrong. */
  firstWithErrors: { i: number; text: string } | undefined;

  record(i: number, answer: string): void {
    this.digests.set(i, digest(answer));
    if (!this.firstWithErrors && answer.includes('"errors":')) this.firstWithErrors = { i, text: answer.slice(0, 300) };
  }

  get size(): number {
    return this.digests.size;
  }

  entries(): IterableIterator<[number, string]> {
    return this.digests.entries();
  }
}

export interface Reference {
  /** Where the answers come from, for messages. */
  name: string;
  /** Request `i` sent again to the reference, untimed. */
  fetch(i: number): Promise<{ status: number; text: string }>;
  /** Requests with the same key get the same answer but for `rewrite`: one fetch answers them all. */
  key(i: number): string;
  /** Request `from`'s answer as request `to` must get it (an alias differs); unchanged without. */
  rewrite?(text: string, from: number, to: number): string;
}

export interface Verdict {
  checked: number;
  mismatches: number;
  firstMismatch?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Compares every recorded answer with the reference's. A reference answer
 * that failed (the stock gateway's fetcher now and then does) is asked again,
 * up to `attempts` times, a little later each time; one that never comes
 * right counts against every answer it was to check, since none of them was
 * shown to be right.
 */
export async function verifyAfterwards(log: AnswerLog, reference: Reference, { concurrency = 8, attempts = 4, pauseMs = 250 } = {}): Promise<Verdict> {
  const recorded = new Map(log.entries());
  // In the order first seen, one reference request per key.
  const groups = [...groupBy(recorded.keys(), reference.key).values()];
  let mismatches = 0;
  let firstMismatch: string | undefined;
  const fail = (count: number, message: string) => {
    mismatches += count;
    firstMismatch ??= message;
  };
  const check = async (group: number[]) => {
    const from = group[0]!;
    let answer: { status: number; text: string } | undefined;
    for (let attempt = 0; attempt < attempts && !(answer?.status === 200 && !hasErrors(answer.text)); attempt += 1) {
      if (attempt > 0) await sleep(pauseMs * 2 ** (attempt - 1));
      answer = await reference.fetch(from).catch((error: unknown) => ({ status: 0, text: String(error) }));
    }
    if (!answer || answer.status !== 200 || hasErrors(answer.text)) {
      fail(group.length, `request ${from}: ${reference.name} gave no answer to compare with: ${answer?.status} ${answer?.text.slice(0, 300)}`);
      return;
    }
    for (const i of group) {
      const expected = reference.rewrite ? reference.rewrite(answer.text, from, i) : answer.text;
      if (recorded.get(i) === digest(expected)) continue;
      const own = log.firstWithErrors?.i === i ? ` It answered ${log.firstWithErrors.text}` : '';
      fail(1, `request ${i}: the answer differs from ${reference.name}'s, which is ${expected.slice(0, 300)}.${own}`);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) await check(groups[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  return { checked: recorded.size, mismatches, ...(firstMismatch ? { firstMismatch } : {}) };
}
