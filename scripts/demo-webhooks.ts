// What `npm start` does for partner webhooks: lets payments send to the
// demo's own receiver on 127.0.0.1 (plain http to a loopback address, which a
// deployment refuses), and registers that receiver for the demo partner
// through the gateway, with the demo's key, as a partner would (the calls are
// docs/webhooks.md's own, docs/examples/webhook-endpoints.ts).
import { WEBHOOK_EVENT_TYPES } from '@interop/sdk/webhooks';
import { WebhookApiError, webhookEndpoints, type WebhookEventTypeName } from '../docs/examples/webhook-endpoints';

/** The development switches npm start turns on where the environment leaves them unset. */
export const DEMO_WEBHOOK_SWITCHES = ['PARTNER_WEBHOOKS_ALLOW_INSECURE', 'PARTNER_WEBHOOKS_ALLOW_PRIVATE'] as const;

/**
 * The payments process's environment: `env` with each switch `true` unless
 * the user set it (to anything, `false` included; empty counts as unset, as
 * for every variable the kit reads).
 */
export function partnerWebhooksEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const next = { ...env };
  for (const name of DEMO_WEBHOOK_SWITCHES) if (next[name] === undefined || next[name] === '') next[name] = 'true';
  return next;
}

/** Every event there is, as the graph names them (`payment.requires_action` is PAYMENT_REQUIRES_ACTION). */
export const DEMO_WEBHOOK_EVENTS = WEBHOOK_EVENT_TYPES.map((type) => type.toUpperCase().replace('.', '_') as WebhookEventTypeName);

export const DEMO_WEBHOOK_DESCRIPTION = 'The npm start demo receiver';

export interface DemoEndpoint {
  id: string;
  /** The secret deliveries are signed with from now on. */
  secret: string;
  /** False when the demo partner already had an endpoint for the URL (a restart on kept data). */
  created: boolean;
}

export interface EnsureOptions {
  graphqlUrl: string;
  apiKey: string;
  receiverUrl: string;
  fetch?: typeof fetch;
  /** Tries in all, for a gateway or payments that is not answering yet (default 5). */
  attempts?: number;
  /** Wait between tries (default 1 s). */
  retryDelayMs?: number;
}

/** Whether trying again may help: no answer, an HTTP error page, or a subgraph that is not up yet. */
const transient = (error: unknown): boolean =>
  !(error instanceof WebhookApiError) || /^HTTP_5\d\d$/.test(error.code) || ['SUBGRAPH_UNAVAILABLE', 'DEPENDENCY_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'RATE_LIMITED'].includes(error.code);

/**
 * Makes sure the demo partner has an enabled endpoint for `receiverUrl` and
 * returns a secret it is signed with. A secret is shown only when it is made,
 * so an endpoint kept from an earlier run gets a new one, effective at once
 * (the demo receiver holds no other), and is enabled again if the graph
 * disabled it while the receiver was down.
 */
export async function ensureDemoWebhookEndpoint(options: EnsureOptions): Promise<DemoEndpoint> {
  const client = webhookEndpoints(options.graphqlUrl, options.apiKey, options.fetch ?? fetch);
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const existing = (await client.list()).find((endpoint) => endpoint.url === options.receiverUrl);
      if (!existing) {
        const { secret, endpoint } = await client.create({ url: options.receiverUrl, events: DEMO_WEBHOOK_EVENTS, description: DEMO_WEBHOOK_DESCRIPTION });
        return { id: endpoint.id, secret, created: true };
      }
      const { secret } = await client.rotateSecret(existing.id, 0);
      if (existing.status !== 'ENABLED') await client.update({ id: existing.id, enabled: true });
      return { id: existing.id, secret, created: false };
    } catch (error) {
      if (attempt >= attempts || !transient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 1000));
    }
  }
}
