// Attempts of deliveries: a POST that never follows a redirect (any non-2xx
// answer is a failure), gives up after `timeoutMs` from the start to the end
// of the answer, reads at most MAX_ANSWER_BYTES of the answer and keeps its
// first 1,000 characters. Connections are kept alive between attempts, in a
// pool of the sender's own: the address policy is applied to the addresses a
// host resolves to as each connection opens, and the connection goes to the
// one checked (url-policy's pinnedLookup); a reused connection leads to an
// address checked when it opened, and an idle one is closed within seconds.
import { isIP } from 'node:net';
import { type HttpAgents, httpRequest, HttpTimeoutError, keptAliveAgents } from '@interop/kit/server';
import { addressRefusal, hostOf, pinnedLookup, UrlRefused, type UrlPolicy } from './url-policy';

export const MAX_EXCERPT_CHARS = 1000;
/** Enough for the excerpt in any encoding; the rest of an answer is not read. */
const MAX_ANSWER_BYTES = 8 * 1024;

export interface AttemptResult {
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  delivered: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  policy: UrlPolicy;
}

export class WebhookSender {
  /** Connections opened under this sender's policy only: one checked under another is never reused. */
  private readonly agents: HttpAgents;

  constructor(private readonly options: SendOptions) {
    this.agents = keptAliveAgents(pinnedLookup(options.policy));
  }

  async send(target: string, headers: Readonly<Record<string, string>>, body: string): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failed = (error: string): AttemptResult => ({ statusCode: null, durationMs: elapsed(), responseExcerpt: null, error, delivered: false });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return failed('invalid URL');
    }
    const { policy, timeoutMs } = this.options;
    if (url.protocol === 'http:' && !policy.allowInsecure) return failed('address not allowed: INSECURE_URL');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return failed('invalid URL');
    // A literal address is connected to without a lookup, so it is checked here.
    const host = hostOf(url);
    if (isIP(host)) {
      const reason = addressRefusal(host, policy);
      if (reason) return failed(`address not allowed: ${reason}`);
    }
    try {
      const answer = await httpRequest(url.href, { method: 'POST', headers, body, timeoutMs, agents: this.agents, maxAnswerBytes: MAX_ANSWER_BYTES });
      const excerpt = answer.text.slice(0, MAX_EXCERPT_CHARS);
      const delivered = answer.status >= 200 && answer.status < 300;
      return { statusCode: answer.status, durationMs: elapsed(), responseExcerpt: excerpt.length > 0 ? excerpt : null, error: null, delivered };
    } catch (error) {
      if (error instanceof UrlRefused) return failed(`address not allowed: ${error.reason}`);
      if (error instanceof HttpTimeoutError) return failed(`timeout after ${timeoutMs} ms`);
      const { code, message } = error as NodeJS.ErrnoException;
      return failed((code ?? message).slice(0, 200));
    }
  }

  /** Closes the kept-alive connections; sends after this open new ones. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
