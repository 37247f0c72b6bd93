// The wallet's webhooks delivered again, as a wallet does when an answer is
// lost (a payments replica killed between applying an event and answering):
// events it already delivered, re-signed with the wallet's secret and posted
// to both payments replicas at once, directly. Each must be acknowledged and
// change nothing, whichever replica takes it first.
import pg from 'pg';
import { signatureHeader, SIGNATURE_HEADER } from '@interop/kit/security';

export interface WebhookReplay {
  sent: number;
  /** Answers by `status outcome`, e.g. `200 duplicate`. */
  answers: Record<string, number>;
}

export async function replayWebhooks(databaseUrl: string, paymentIds: readonly string[], replicas: readonly string[], secret: string, count: number): Promise<WebhookReplay> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let bodies: string[];
  try {
    const { rows } = await client.query<{ body: string }>(
      `SELECT body FROM wallet.webhook_outbox WHERE payment_id = ANY($1) AND state = 'DELIVERED' ORDER BY seq DESC LIMIT $2`,
      [paymentIds, count],
    );
    bodies = rows.map((row) => row.body);
  } finally {
    await client.end();
  }
  const replay: WebhookReplay = { sent: 0, answers: {} };
  for (const body of bodies) {
    const answers = await Promise.all(
      replicas.map(async (replica) => {
        const response = await fetch(new URL('webhooks/wallet', replica), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(secret, { context: 'wallet-webhook', body }) },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        const answer = (await response.json()) as { outcome?: string };
        return `${response.status} ${answer.outcome ?? ''}`.trim();
      }),
    );
    for (const answer of answers) {
      replay.sent += 1;
      replay.answers[answer] = (replay.answers[answer] ?? 0) + 1;
    }
  }
  return replay;
}
