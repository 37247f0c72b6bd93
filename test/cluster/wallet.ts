// The buyer's approve or decline in the sandbox wallet, as a script does it:
// read the form token from the payment's page (nextAction.url) and post the
// decision with it. The wallet is a single process the test never kills, so a
// failed attempt (the machine busy) is simply tried again.
import { sleep } from './recorder';

export type Decision = 'approve' | 'decline';

export async function decide(pageUrl: string, decision: Decision, fetchImpl: typeof fetch, attempts = 3): Promise<number> {
  const page = new URL(pageUrl);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const shown = await fetchImpl(`${page.origin}${page.pathname}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      const { csrfToken } = (await shown.json()) as { csrfToken?: string };
      const response = await fetchImpl(`${page.origin}${page.pathname}/${decision}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(csrfToken ? { csrfToken } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status < 500 || attempt >= attempts) return response.status;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    await sleep(250 * attempt);
  }
}
