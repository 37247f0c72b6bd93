// Partner webhook endpoints as callers manage them through the graph. A
// partner sees and changes its own endpoints only; a merchant console
// (`merchant:<id>` scopes) those confined to its merchants. Another's
// endpoint is as unknown as a missing one (BAD_USER_INPUT), so ids reveal
// nothing. Secrets are returned by create and rotate only.
import { randomBytes } from 'node:crypto';
import { badUserInput } from '@interop/kit';
import { pageRequest, toPage, type Page } from '@interop/kit/server';
import { merchantScopes, requireMerchantScope, type Caller } from '@interop/kit/security';
import { newId } from '../ids';
import { actingPartner } from '../ownership';
import { checkText } from '../payment-input';
import type { EndpointScope, WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow, WebhookStore } from '../store/webhook-store';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookEventType } from '../__generated__/resolvers';
import { WIRE_BY_ENUM, type WireEventType } from './event-types';
import { checkEndpointUrl, type UrlPolicy } from './url-policy';

/** A delivery as the graph shows it: with every attempt. */
export type WebhookDeliveryView = WebhookDeliveryRow & { attempts: WebhookAttemptRow[] };

export type WebhookDeliveryConnectionView = Page<WebhookDeliveryView>;

export interface EndpointWithSecret {
  endpoint: WebhookEndpointRow;
  secret: string;
}

export const MAX_ROTATION_WINDOW_SECONDS = 604_800;

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export class WebhookEndpoints {
  constructor(
    private readonly store: WebhookStore,
    private readonly policy: UrlPolicy,
    /** Tells the delivery worker that deliveries are due now. */
    private readonly nudge: () => void = () => undefined,
  ) {}

  list(caller: Caller): Promise<WebhookEndpointRow[]> {
    return this.store.listEndpoints(scopeOf(caller));
  }

  async create(input: CreateWebhookEndpointInput, caller: Caller): Promise<EndpointWithSecret> {
    const partnerId = actingPartner(caller);
    const forConsole = merchantScopes(caller).length > 0;
    const merchantId = input.merchantId ?? null;
    if (forConsole && merchantId === null) throw badUserInput('input.merchantId', 'A merchant console names one of its merchants.');
    if (merchantId !== null) {
      checkText(merchantId, 'input.merchantId', 200);
      requireMerchantScope(caller, merchantId);
    }
    const events = checkEvents(input.events, 'input.events');
    const description = checkDescription(input.description, 'input.description');
    const url = await checkEndpointUrl(input.url, this.policy, 'input.url');
    const secret = newWebhookSecret();
    const endpoint = await this.store.insertEndpoint({
      id: newId('we'),
      partnerId,
      merchantId,
      merchantConsole: forConsole,
      url: url.toString(),
      description,
      events,
      secret,
    });
    return { endpoint, secret };
  }

  async update(input: UpdateWebhookEndpointInput, caller: Caller): Promise<WebhookEndpointRow> {
    const scope = scopeOf(caller);
    await this.require(scope, input.id, 'input.id');
    const events = input.events == null ? undefined : checkEvents(input.events, 'input.events');
    const description = input.description == null ? undefined : checkDescription(input.description, 'input.description');
    const url = input.url == null ? undefined : (await checkEndpointUrl(input.url, this.policy, 'input.url')).toString();
    const updated = await this.store.updateEndpoint(scope, input.id, {
      ...(url === undefined ? {} : { url }),
      ...(events === undefined ? {} : { events }),
      ...(description === undefined ? {} : { description }),
      ...(input.enabled == null ? {} : { enabled: input.enabled }),
    });
    if (!updated) throw unknownEndpoint('input.id');
    return updated;
  }

  async delete(id: string, caller: Caller): Promise<string> {
    if (!(await this.store.deleteEndpoint(scopeOf(caller), id))) throw unknownEndpoint('id');
    return id;
  }

  async rotate(id: string, windowSeconds: number | null | undefined, caller: Caller): Promise<EndpointWithSecret> {
    const window = windowSeconds ?? 86_400;
    if (!Number.isInteger(window) || window < 0 || window > MAX_ROTATION_WINDOW_SECONDS) {
      throw badUserInput('expiresPreviousInSeconds', `expiresPreviousInSeconds must be between 0 and ${MAX_ROTATION_WINDOW_SECONDS}.`);
    }
    const secret = newWebhookSecret();
    const endpoint = await this.store.rotateSecret(scopeOf(caller), id, secret, window);
    if (!endpoint) throw unknownEndpoint('id');
    return { endpoint, secret };
  }

  async deliveries(endpointId: string, first: number | null | undefined, after: string | null | undefined, caller: Caller): Promise<Page<WebhookDeliveryView>> {
    const page = pageRequest(first, after);
    await this.require(scopeOf(caller), endpointId, 'endpointId');
    const rows = await this.store.deliveries(endpointId, page);
    // The page's extra row only says whether another page follows; its attempts are not read.
    const attempts = await this.store.attemptsByDeliveryIds(rows.slice(0, page.first).map((row) => row.id));
    return toPage(
      rows.map((row, i) => ({ ...row, attempts: attempts[i] ?? [] })),
      page,
      (row) => row.seq,
    );
  }

  async redeliver(eventId: string, endpointId: string | null | undefined, caller: Caller): Promise<WebhookDeliveryView[]> {
    const scope = scopeOf(caller);
    let endpointIds: string[];
    if (endpointId != null) {
      await this.require(scope, endpointId, 'endpointId');
      endpointIds = [endpointId];
    } else {
      endpointIds = (await this.store.listEndpoints(scope)).map((endpoint) => endpoint.id);
    }
    const created = endpointIds.length > 0 ? await this.store.redeliver(eventId, endpointIds) : [];
    if (created.length === 0) throw badUserInput('eventId', 'No event with this id went to an endpoint of yours.');
    this.nudge();
    return created.map((row) => ({ ...row, attempts: [] }));
  }

  private async require(scope: EndpointScope, id: string, argument: string): Promise<WebhookEndpointRow> {
    const endpoint = await this.store.endpoint(scope, id);
    if (!endpoint) throw unknownEndpoint(argument);
    return endpoint;
  }
}

/** Which endpoints a caller sees: a merchant console, those confined to its merchants; a partner, its own. */
export function scopeOf(caller: Caller): EndpointScope {
  const merchants = merchantScopes(caller);
  if (merchants.length > 0) return { merchantIds: merchants };
  return { partnerId: actingPartner(caller) };
}

function checkEvents(events: readonly WebhookEventType[], argument: string): WireEventType[] {
  if (events.length === 0) throw badUserInput(argument, 'Name at least one event.');
  return [...new Set(events.map((event) => WIRE_BY_ENUM[event]))];
}

function checkDescription(description: string | null | undefined, argument: string): string | null {
  if (description == null || description === '') return null;
  checkText(description, argument, 500);
  return description;
}

function unknownEndpoint(argument: string) {
  return badUserInput(argument, 'None of your webhook endpoints has this id.');
}
