// Starting a subscription, whatever the transport: plan it against the
// gateway's API schema and the supergraph's live fields, count it against its
// caller, follow the entity's events and read it for the first time. Every
// read runs the equivalent query through the gateway itself (Apollo's
// executeOperation with the subscriber's context), so planning, cross-subgraph
// fetches, limits, masking and the subscriber's identity are exactly those of a
// query: an entity the caller may not read over HTTP it may not follow either.
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Logger } from '@interop/kit';
import type { Caller } from '@interop/kit/security';
import type { GatewayContext } from '../context';
import type { DocumentLimits } from '../document-limits';
import { requestedInBody, type DocumentTrust } from '../trusted-documents';
import { tooManySubscriptions, type CallerQuota } from './limits';
import { planSubscription, type SubscriptionPlan, type SubscriptionRequest } from './operation';
import { LiveFeed } from './live-feed';
import type { LiveEvents } from './live-events';
import type { LiveFields } from './live-fields';

export interface Subscriber {
  caller: Caller;
  /** The client's address (see client-address): an anonymous caller's budgets are its own. */
  address: string;
  /** What its subscriptions count against (see quotaKeyOf). */
  quotaKey: string;
  /** Sent to the subgraphs with every read, so their logs join the subscription's. */
  requestId: string;
}

/** The context a subscription's reads run in: a query's, with the caller the transport authenticated. */
export type SubscriptionContext = GatewayContext & { caller: Caller };

export interface LiveSubscriptionsOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The API schema being served (it changes when the supergraph is reloaded). */
  schema: () => GraphQLSchema | undefined;
  /** The live fields the loaded supergraph declares. */
  live: () => LiveFields;
  events: LiveEvents;
  quota: CallerQuota;
  eventsReadyTimeoutMs: number;
  /** See SubscriptionLimits.recheckMs. */
  recheckMs: number;
  documentLimits: DocumentLimits;
  hideSchemaDetails: boolean;
  /** Whether the document is trusted; throws where the caller may send only trusted ones (see trusted-documents). */
  trust?: DocumentTrust;
  logger: Logger;
}

export type Opening = { feed: LiveFeed; plan: SubscriptionPlan } | { errors: readonly GraphQLFormattedError[] };

export class LiveSubscriptions {
  constructor(private readonly options: LiveSubscriptionsOptions) {}

  /** A started feed, or the errors that refuse the request. `onEnd` runs once: when the request is refused or its feed ends. */
  async open(request: SubscriptionRequest, subscriber: Subscriber, onEnd: () => void = () => {}): Promise<Opening> {
    const { schema, quota, events, logger } = this.options;
    const apiSchema = schema();
    if (!apiSchema) throw new Error('No supergraph loaded');
    try {
      this.options.trust?.(subscriber.caller, requestedInBody(request));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      onEnd();
      return { errors: [{ message: error.message, extensions: { code: error.extensions.code } }] };
    }
    const plan = planSubscription(apiSchema, request, {
      hideSuggestions: this.options.hideSchemaDetails,
      limits: this.options.documentLimits,
      live: this.options.live(),
    });
    if (Array.isArray(plan)) {
      onEnd();
      return { errors: plan };
    }
    const release = quota.acquire(subscriber.quotaKey);
    if (!release) {
      onEnd();
      return { errors: [tooManySubscriptions('caller', quota.limit)] };
    }
    const contextValue: SubscriptionContext = { requestId: subscriber.requestId, caller: subscriber.caller };
    const feed = new LiveFeed(
      plan,
      {
        read: () => this.read(plan, contextValue),
        follow: (listener) => events.follow(plan.live, plan.entityId, listener),
        ready: () => events.ready(plan.live, this.options.eventsReadyTimeoutMs),
      },
      () => {
        release();
        onEnd();
      },
      { logger, recheckMs: this.options.recheckMs },
    );
    const refused = await feed.start();
    return refused ? { errors: refused } : { feed, plan };
  }

  private async read(plan: SubscriptionPlan, contextValue: SubscriptionContext): Promise<FormattedExecutionResult> {
    const response = await this.options.apollo.executeOperation(
      { query: plan.query, variables: plan.variables, ...(plan.operationName ? { operationName: plan.operationName } : {}) },
      { contextValue },
    );
    if (response.body.kind !== 'single') throw new Error('An incremental answer to a subscription read');
    return response.body.singleResult;
  }
}
