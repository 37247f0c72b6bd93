import { verifyWalletWebhook, WALLET_WEBHOOK_SIGNATURE_HEADER, type WalletWebhookEvent } from '@interop/sdk/webhooks';

const seen = new Set<string>(); // use your database: the eventIds already applied

/** Handles one delivery: the raw body exactly as received, and its headers. Answers with the status to send back. */
export function receiveWalletWebhook(secret: string, rawBody: string, headers: Record<string, string | undefined>): { status: number; event?: WalletWebhookEvent } {
  const check = verifyWalletWebhook(secret, rawBody, headers[WALLET_WEBHOOK_SIGNATURE_HEADER]);
  if (!check.ok) return { status: 401 }; // a 4xx: the sender does not retry it
  const event = JSON.parse(rawBody) as WalletWebhookEvent;
  if (seen.has(event.eventId)) return { status: 200 }; // a repeated delivery: acknowledge, change nothing
  seen.add(event.eventId);
  return { status: 200, event };
}
