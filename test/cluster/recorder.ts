// What the clients did: every logical call (a read, an initiatePayment, a
// wallet decision) with each HTTP attempt it took, as the SDK's retries made
// them. A fetch wrapper records the attempts of the call its loop is making.

export interface Attempt {
  /** When it was sent (ms since the epoch). */
  at: number;
  ms: number;
  /** `ok`, an error code from the answer, `http <status>`, or `network`. */
  outcome: string;
  /** For `network`: what the fetch threw, by its cause's code where it has one (ECONNRESET, UND_ERR_SOCKET). */
  cause?: string;
}

export interface Call {
  kind: string;
  at: number;
  ms: number;
  ok: boolean;
  /** What the last attempt ended with when the call failed. */
  error?: string;
  attempts: Attempt[];
}

export class Recorder {
  readonly calls: Call[] = [];

  /** Runs `work` as one call of `kind`, its attempts recorded through `loop`'s fetch. */
  async call<T>(kind: string, loop: CallLoop, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const call: Call = { kind, at: Date.now(), ms: 0, ok: false, attempts: [] };
    loop.current = call;
    try {
      const value = await work();
      call.ok = true;
      return { ok: true, value };
    } catch (error) {
      call.error = describeError(error);
      return { ok: false, error };
    } finally {
      call.ms = Date.now() - call.at;
      loop.current = undefined;
      this.calls.push(call);
    }
  }

  of(kind: string | RegExp): Call[] {
    return this.calls.filter((call) => (typeof kind === 'string' ? call.kind === kind : kind.test(call.kind)));
  }
}

/** One sequential client loop: its fetch records attempts into the call it is making. */
export class CallLoop {
  current: Call | undefined;

  readonly fetch: typeof fetch = async (input, init) => {
    const attempt: Attempt = { at: Date.now(), ms: 0, outcome: 'network' };
    this.current?.attempts.push(attempt);
    try {
      const response = await fetch(input, init);
      attempt.outcome = await outcomeOf(response.clone());
      return response;
    } catch (error) {
      attempt.cause = networkCause(error);
      throw error;
    } finally {
      attempt.ms = Date.now() - attempt.at;
    }
  };
}

async function outcomeOf(response: Response): Promise<string> {
  let code: unknown;
  try {
    const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] };
    code = body.errors?.[0]?.extensions?.code;
  } catch {
    return response.ok ? 'ok' : `http ${response.status}`;
  }
  if (typeof code === 'string') return code;
  return response.ok ? 'ok' : `http ${response.status}`;
}

/** An attempt's outcome, with what the connection did when the fetch itself failed. */
export const describeAttempt = (attempt: Attempt): string => (attempt.cause ? `${attempt.outcome} (${attempt.cause})` : attempt.outcome);

/** fetch rejects with a TypeError whose cause says what happened to the connection. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, reason, status } = error as { code?: unknown; reason?: unknown; status?: unknown };
    if (typeof code === 'string') return code;
    if (typeof reason === 'string') return status ? `${reason} ${String(status)}` : reason;
  }
  return error instanceof Error ? error.message : String(error);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
