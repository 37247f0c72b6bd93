// One logical call to the graph: the same request body on every attempt (so a
// mutation's idempotency key never changes between them), a timeout per
// attempt, and retries as the retry policy allows.
import { InteropError, InteropTransportError, type GraphQLErrorEntry } from './errors';
import { delayBeforeRetry, isRetryable, retryAfterMs } from './retry-policy';
import { sleep } from './sleep';

export interface TransportSettings {
  url: string;
  /** The credential's headers. */
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  /** Attempts after the first. */
  retries: number;
  timeoutMs: number;
  retryDelayMs: number;
  /** A retry that would have to wait longer than this is not made; the error is thrown instead. */
  maxRetryWaitMs: number;
}

export interface Call {
  query: string;
  variables: Record<string, unknown>;
  /** The key inside `variables`, reported on errors; only mutations have one. */
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

type Outcome<TData> = { ok: true; data: TData } | { ok: false; error: InteropError | InteropTransportError };

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
}

export async function send<TData>(settings: TransportSettings, call: Call): Promise<TData> {
  const body = JSON.stringify({ query: call.query, variables: call.variables });
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await sendOnce<TData>(settings, call, body, attempt);
    if (outcome.ok) return outcome.data;
    const { error } = outcome;
    if (attempt > settings.retries || !isRetryable(error)) throw error;
    const wait = delayBeforeRetry(error, attempt, settings.retryDelayMs);
    if (wait > settings.maxRetryWaitMs) throw error;
    await sleep(wait, call.signal);
  }
}

async function sendOnce<TData>(settings: TransportSettings, call: Call, body: string, attempt: number): Promise<Outcome<TData>> {
  const failure = { idempotencyKey: call.idempotencyKey, attempts: attempt };
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...settings.headers },
      body,
      signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    // The caller gave up: that ends the call, it is not a failure to retry.
    if (call.signal?.aborted) throw call.signal.reason;
    const reason = timeout.aborted ? 'timeout' : 'network';
    const message = reason === 'timeout' ? `No answer within ${settings.timeoutMs} ms.` : 'The connection to the graph failed.';
    return { ok: false, error: new InteropTransportError(reason, message, { cause: error }, failure) };
  }
  const answer = parseGraphQL(text);
  if (answer?.errors && answer.errors.length > 0) {
    const details = {
      status: response.status,
      requestId: response.headers.get('x-request-id') ?? undefined,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), answer.errors[0]?.extensions),
    };
    return { ok: false, error: new InteropError(answer.errors, details, failure) };
  }
  if (!response.ok || answer?.data === undefined || answer.data === null) {
    const error = new InteropTransportError('http', `HTTP ${response.status} without a GraphQL answer.`, { status: response.status }, failure);
    return { ok: false, error };
  }
  return { ok: true, data: answer.data as TData };
}

/** The body as a GraphQL response, or undefined when it is not one. */
function parseGraphQL(text: string): GraphQLBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { data, errors } = parsed as GraphQLBody;
  if (errors !== undefined && !Array.isArray(errors)) return undefined;
  return { data, ...(errors ? { errors } : {}) };
}
