// The feed's promises, with the gateway and the bus replaced by a scripted
// payment: the payment now first, every status change once and in order (also
// one overtaken before it was read), nothing for changes already delivered, a
// re-read after a gap and at each recheck, completion after a final status, refusals that end it.
import { buildSchema, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { DEFAULT_OPERATION_LIMITS } from '../../operation-limits';
import { planSubscription, type SubscriptionPlan } from '../operation';
import { LiveFeed } from '../live-feed';
import type { EntityChanged, EntityEventListener } from '../live-events';
import { LIVE_PAYMENT } from './live-payment';

const schema = buildSchema(`
  type Query { payment(id: ID!): Payment }
  type Subscription { paymentUpdated(id: ID!): Payment! }
  type Payment { id: ID! status: String! reference: String! events: [Event!]! }
  type Event { toStatus: String! }
`);

function plan(query = 'subscription { paymentUpdated(id: "pay_1") { status reference } }'): SubscriptionPlan {
  const planned = planSubscription(schema, { query }, { hideSuggestions: false, limits: DEFAULT_OPERATION_LIMITS, live: LIVE_PAYMENT });
  if (Array.isArray(planned)) throw new Error(JSON.stringify(planned));
  return planned;
}

/** A payment whose status history the test writes, read as the gateway would answer the plan's query. */
class ScriptedPayment {
  history: string[] = ['REQUIRES_ACTION'];
  reads = 0;
  answer: FormattedExecutionResult | null = null;
  listener: EntityEventListener = () => {};
  ready = true;

  constructor(private readonly planned: SubscriptionPlan) {}

  source() {
    return {
      read: async () => {
        this.reads += 1;
        if (this.answer) return this.answer;
        const status = this.history[this.history.length - 1];
        const statuses = Object.fromEntries(this.planned.patchKeys.map((key) => [key, status]));
        const payment = { ...statuses, reference: `read ${this.reads}`, [this.planned.changesKey]: this.history.map((toStatus) => ({ toStatus })) };
        return { data: { [this.planned.responseKey]: payment } };
      },
      follow: (listener: EntityEventListener) => {
        this.listener = listener;
        return () => {
          this.listener = () => {};
        };
      },
      ready: async () => this.ready,
    };
  }

  change(status: string): EntityChanged {
    this.history.push(status);
    return { entityId: 'pay_1', version: this.history.length };
  }
}

async function startedFeed(planned = plan(), recheckMs?: number) {
  const payment = new ScriptedPayment(planned);
  let ended = 0;
  const feed = new LiveFeed(planned, payment.source(), () => (ended += 1), recheckMs ? { recheckMs } : {});
  expect(await feed.start()).toBeNull();
  return { feed, payment, ended: () => ended };
}

const payload = (result: IteratorResult<unknown>) => (result.value as { data: { paymentUpdated: { status: string; reference: string } } }).data.paymentUpdated;

test('the payment now first, then each change with the status it set, also one overtaken before it was read', async () => {
  const { feed, payment } = await startedFeed();
  expect(payload(await feed.next())).toEqual({ status: 'REQUIRES_ACTION', reference: 'read 1' });
  // Both changes land before the feed reads again: one read, two results, in order.
  const processing = payment.change('PROCESSING');
  const succeeded = payment.change('SUCCEEDED');
  payment.listener(processing);
  payment.listener(succeeded);
  expect(payload(await feed.next())).toEqual({ status: 'PROCESSING', reference: 'read 2' });
  expect(payload(await feed.next())).toEqual({ status: 'SUCCEEDED', reference: 'read 2' });
  expect(payment.reads).toBe(2);
  await feed.return();
});

test('an event for a change already delivered causes no read', async () => {
  const { feed, payment } = await startedFeed();
  const processing = payment.change('PROCESSING');
  payment.listener(processing);
  await feed.next();
  expect(payload(await feed.next()).status).toBe('PROCESSING');
  payment.listener(processing);
  const next = feed.next();
  payment.listener(payment.change('SUCCEEDED'));
  expect(payload(await next).status).toBe('SUCCEEDED');
  expect(payment.reads).toBe(3);
  await feed.return();
});

test('after a gap the payment is re-read and changes missed meanwhile are delivered', async () => {
  const { feed, payment } = await startedFeed();
  await feed.next();
  payment.change('PROCESSING');
  payment.listener(null);
  expect(payload(await feed.next()).status).toBe('PROCESSING');
  await feed.return();
});

test('a change whose announcement was lost arrives at the next recheck; a recheck that finds nothing new sends nothing', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  try {
    const { feed, payment } = await startedFeed(plan(), 1_000);
    await feed.next();
    const next = feed.next();
    jest.advanceTimersByTime(1_000);
    await settled();
    expect(payment.reads).toBe(2);
    // Committed, never announced: only the recheck can find it.
    payment.change('PROCESSING');
    jest.advanceTimersByTime(1_000);
    expect(payload(await next).status).toBe('PROCESSING');
    expect(payment.reads).toBe(3);
    await feed.return();
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});

test('a final status is delivered, then the feed completes and stops following', async () => {
  const { feed, payment, ended } = await startedFeed();
  await feed.next();
  payment.listener(payment.change('CANCELED'));
  expect(payload(await feed.next()).status).toBe('CANCELED');
  expect(await feed.next()).toEqual({ done: true, value: undefined });
  expect(ended()).toBe(1);
});

test('status is set under each key the selection gives it, and the changes read are never delivered', async () => {
  const planned = plan('subscription { p: paymentUpdated(id: "pay_1") { s: status ... on Payment { status } } }');
  const { feed, payment } = await startedFeed(planned);
  await feed.next();
  payment.listener(payment.change('PROCESSING'));
  payment.listener(payment.change('SUCCEEDED'));
  const result = (await feed.next()).value as { data: { p: Record<string, unknown> } };
  expect(result.data.p).toEqual({ s: 'PROCESSING', status: 'PROCESSING', reference: 'read 2' } as Record<string, unknown>);
  await feed.return();
});

test('a payment the read does not return refuses the subscription with the read errors, or BAD_USER_INPUT', async () => {
  const planned = plan();
  const refused = new ScriptedPayment(planned);
  refused.answer = { data: { paymentUpdated: null }, errors: [{ message: 'not yours', extensions: { code: 'FORBIDDEN' } }] };
  let ended = 0;
  expect(await new LiveFeed(planned, refused.source(), () => (ended += 1)).start()).toEqual([{ message: 'not yours', extensions: { code: 'FORBIDDEN' } }]);
  const missing = new ScriptedPayment(planned);
  missing.answer = { data: { paymentUpdated: null } };
  const errors = await new LiveFeed(planned, missing.source(), () => (ended += 1)).start();
  expect(errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  expect(ended).toBe(2);
});

test('a refusal after the start is delivered as the last result', async () => {
  const { feed, payment } = await startedFeed();
  await feed.next();
  payment.answer = { data: { paymentUpdated: null }, errors: [{ message: 'not yours', extensions: { code: 'FORBIDDEN' } }] };
  payment.listener(payment.change('PROCESSING'));
  const last = (await feed.next()).value as ExecutionResult;
  expect(last.errors?.map((error) => error.extensions['code'])).toEqual(['FORBIDDEN']);
  expect((await feed.next()).done).toBe(true);
});

test('without payment events the subscription is refused with DEPENDENCY_UNAVAILABLE', async () => {
  const planned = plan();
  const payment = new ScriptedPayment(planned);
  payment.ready = false;
  const errors = await new LiveFeed(planned, payment.source(), () => {}).start();
  expect(errors?.map((error) => error.extensions)).toEqual([{ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'payment-events' }]);
  expect(payment.reads).toBe(0);
});
