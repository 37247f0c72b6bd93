import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER, type WebhookEvent } from '@interop/sdk/webhooks';

const seen = new Set<string>(); // use your database: the eventIds already applied

/** Handles one delivery: the raw body exactly as received, and its headers. Answers with the status to send back. */
export function receiveWebhook(secret: string, rawBody: string, headers: Record<string, string | undefined>): { status: number; event?: WebhookEvent } {
  const check = verifyWebhook(secret, rawBody, headers[WEBHOOK_SIGNATURE_HEADER]);
  if (!check.ok) return { status: 401 }; // a 4xx: the sender does not retry it
  const event = JSON.parse(rawBody) as WebhookEvent;
  if (seen.has(event.eventId)) return { status: 200 }; // a repeated delivery: acknowledge, change nothing
  seen.add(event.eventId);
  return { status: 200, event };
}
