// The checkout rule on its own: which acceptance statuses take payments, what
// opt-in asks of a merchant, and how the options are ordered.
import {
  decideCheckout,
  effectiveOptions,
  isOpenForCheckout,
  merchantMayUse,
  toolReach,
  UNAVAILABLE_REASON_PRECEDENCE,
  type AcceptanceFacts,
  type AcceptanceStatus,
  type CheckoutContext,
  type CheckoutDecision,
  type StorefrontFacts,
  type ToolFacts,
  type UnavailableReason,
} from '../checkout-rule';

const ALL_STATUSES: readonly AcceptanceStatus[] = ['ANNOUNCED', 'PILOT', 'ROLLING_OUT', 'LIVE', 'SUSPENDED'];

function acceptance(toolId: string, overrides: Partial<AcceptanceFacts> = {}): AcceptanceFacts {
  return { toolId, status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 1, ...overrides };
}

function storefront(overrides: Partial<StorefrontFacts> = {}): StorefrontFacts {
  return { merchantStatus: 'ACTIVE', merchantEligible: true, enrolledToolIds: [], ...overrides };
}

const everyToolOperational = () => true;

describe('isOpenForCheckout', () => {
  test('only LIVE and ROLLING_OUT take payments', () => {
    expect(ALL_STATUSES.filter(isOpenForCheckout)).toEqual(['ROLLING_OUT', 'LIVE']);
  });
});

describe('merchantMayUse', () => {
  test.each<[AcceptanceStatus, boolean]>([
    ['LIVE', true],
    ['ROLLING_OUT', true],
    ['PILOT', false],
    ['ANNOUNCED', false],
    ['SUSPENDED', false],
  ])('a rule without opt-in in status %s: %s', (status, expected) => {
    expect(merchantMayUse(acceptance('alipay', { status }), storefront())).toBe(expected);
  });

  test.each<[AcceptanceStatus, boolean]>([
    ['LIVE', true],
    ['ROLLING_OUT', true],
    ['PILOT', false],
    ['ANNOUNCED', false],
    ['SUSPENDED', false],
  ])('an enrolled, eligible merchant under an opt-in rule in status %s: %s', (status, expected) => {
    const rule = acceptance('wechat-pay', { status, requiresMerchantOptIn: true });
    expect(merchantMayUse(rule, storefront({ enrolledToolIds: ['wechat-pay'] }))).toBe(expected);
  });

  test('opt-in needs both enrolment in that very tool and eligibility', () => {
    const rule = acceptance('wechat-pay', { status: 'ROLLING_OUT', requiresMerchantOptIn: true });
    const cases = [
      { merchantEligible: true, enrolledToolIds: ['wechat-pay'] },
      { merchantEligible: false, enrolledToolIds: ['wechat-pay'] },
      { merchantEligible: true, enrolledToolIds: [] },
      { merchantEligible: true, enrolledToolIds: ['alipay', 'e-cny'] },
      { merchantEligible: false, enrolledToolIds: [] },
    ];
    expect(cases.map((facts) => merchantMayUse(rule, storefront(facts)))).toEqual([true, false, false, false, false]);
  });

  test('eligibility does not matter where no opt-in is asked', () => {
    expect(merchantMayUse(acceptance('alipay'), storefront({ merchantEligible: false }))).toBe(true);
  });

  test('a suspended merchant may use nothing, enrolled or not', () => {
    const suspended = storefront({ merchantStatus: 'SUSPENDED', enrolledToolIds: ['wechat-pay'] });
    expect(merchantMayUse(acceptance('alipay'), suspended)).toBe(false);
    expect(merchantMayUse(acceptance('wechat-pay', { requiresMerchantOptIn: true }), suspended)).toBe(false);
  });
});

describe('effectiveOptions', () => {
  test('keeps only what the merchant may use, best rank first, the first one the default', () => {
    const options = effectiveOptions(
      [
        acceptance('hebao', { checkoutRank: 6 }),
        acceptance('wechat-pay', { checkoutRank: 2, status: 'ROLLING_OUT', requiresMerchantOptIn: true }),
        acceptance('jd-pay', { checkoutRank: 0, status: 'PILOT' }),
        acceptance('alipay', { checkoutRank: 1 }),
        acceptance('wing-pay', { checkoutRank: 5, status: 'ANNOUNCED' }),
        acceptance('e-cny', { checkoutRank: 4, status: 'SUSPENDED' }),
      ],
      storefront({ enrolledToolIds: ['wechat-pay'] }),
      everyToolOperational,
    );
    expect(options).toEqual([
      { toolId: 'alipay', rank: 1, isDefault: true },
      { toolId: 'wechat-pay', rank: 2, isDefault: false },
      { toolId: 'hebao', rank: 6, isDefault: false },
    ]);
  });

  test('an opt-in tool the merchant did not open is left out and the next tool moves up', () => {
    const options = effectiveOptions(
      [
        acceptance('wechat-pay', { checkoutRank: 1, requiresMerchantOptIn: true }),
        acceptance('alipay', { checkoutRank: 2 }),
      ],
      storefront(),
      everyToolOperational,
    );
    expect(options).toEqual([{ toolId: 'alipay', rank: 2, isDefault: true }]);
  });

  test('a tool that is not operational is never offered, and the default passes to the next', () => {
    const asked: string[] = [];
    const options = effectiveOptions(
      [acceptance('alipay', { checkoutRank: 1 }), acceptance('unionpay-quickpass', { checkoutRank: 3 })],
      storefront(),
      (toolId) => {
        asked.push(toolId);
        return toolId !== 'alipay';
      },
    );
    expect(options).toEqual([{ toolId: 'unionpay-quickpass', rank: 3, isDefault: true }]);
    expect(asked).toContain('alipay');
  });

  test('equal ranks are ordered by tool id, whatever the input order', () => {
    const tied = [
      acceptance('wing-pay', { checkoutRank: 3 }),
      acceptance('e-cny', { checkoutRank: 3 }),
      acceptance('hebao', { checkoutRank: 3 }),
      acceptance('alipay', { checkoutRank: 7 }),
      acceptance('unionpay-quickpass', { checkoutRank: 2 }),
    ];
    const expected = ['unionpay-quickpass', 'e-cny', 'hebao', 'wing-pay', 'alipay'];
    expect(effectiveOptions(tied, storefront(), everyToolOperational).map((o) => o.toolId)).toEqual(expected);
    expect(effectiveOptions([...tied].reverse(), storefront(), everyToolOperational).map((o) => o.toolId)).toEqual(expected);
  });

  test('exactly one option is the default: the first', () => {
    const options = effectiveOptions(
      [acceptance('a', { checkoutRank: 1 }), acceptance('b', { checkoutRank: 1 }), acceptance('c', { checkoutRank: 2 })],
      storefront(),
      everyToolOperational,
    );
    expect(options.map((o) => o.isDefault)).toEqual([true, false, false]);
  });

  test('a suspended merchant has no options', () => {
    expect(effectiveOptions([acceptance('alipay')], storefront({ merchantStatus: 'SUSPENDED' }), everyToolOperational)).toEqual([]);
  });

  test('no acceptances give no options', () => {
    expect(effectiveOptions([], storefront(), everyToolOperational)).toEqual([]);
  });

  test('does not reorder the caller’s array', () => {
    const input = [acceptance('b', { checkoutRank: 2 }), acceptance('a', { checkoutRank: 1 })];
    effectiveOptions(input, storefront(), everyToolOperational);
    expect(input.map((a) => a.toolId)).toEqual(['b', 'a']);
  });
});

describe('toolReach', () => {
  test('splits the platforms that take the tool into open-to-all and opt-in; others are left out', () => {
    const reach = toolReach([
      { ...acceptance('wechat-pay', { status: 'ROLLING_OUT', requiresMerchantOptIn: true }), platformId: 'taobao' },
      { ...acceptance('wechat-pay', { status: 'LIVE' }), platformId: 'ele-me' },
      { ...acceptance('wechat-pay', { status: 'ROLLING_OUT' }), platformId: 'jd' },
      { ...acceptance('wechat-pay', { status: 'LIVE', requiresMerchantOptIn: true }), platformId: 'kaola' },
      { ...acceptance('wechat-pay', { status: 'PILOT' }), platformId: 'youku' },
      { ...acceptance('wechat-pay', { status: 'ANNOUNCED', requiresMerchantOptIn: true }), platformId: 'damai' },
      { ...acceptance('wechat-pay', { status: 'SUSPENDED' }), platformId: 'shuqi' },
    ]);
    expect(reach).toEqual({ openToAll: ['ele-me', 'jd'], openWithOptIn: ['taobao', 'kaola'] });
  });

  test('agrees with merchantMayUse for every status and opt-in setting', () => {
    for (const status of ALL_STATUSES) {
      for (const requiresMerchantOptIn of [false, true]) {
        const rule = acceptance('wechat-pay', { status, requiresMerchantOptIn });
        const reach = toolReach([{ ...rule, platformId: 'p' }]);
        const reached = reach.openToAll.includes('p') || reach.openWithOptIn.includes('p');
        expect([status, requiresMerchantOptIn, reached]).toEqual([
          status,
          requiresMerchantOptIn,
          merchantMayUse(rule, storefront({ enrolledToolIds: ['wechat-pay'] })),
        ]);
        expect(reach.openWithOptIn.includes('p')).toBe(reached && requiresMerchantOptIn);
      }
    }
  });

  test('no acceptances reach nowhere', () => {
    expect(toolReach([])).toEqual({ openToAll: [], openWithOptIn: [] });
  });
});

describe('decideCheckout', () => {
  const CHANNELS = [
    { channel: 'APP', nextActionType: 'REDIRECT' },
    { channel: 'WEB', nextActionType: 'QR_CODE' },
    { channel: 'H5', nextActionType: 'REDIRECT' },
  ] as const;

  function tool(toolId: string, overrides: Partial<ToolFacts> = {}): ToolFacts {
    return { toolId, operational: true, perPaymentMinMinor: 100, perPaymentMaxMinor: 10_000, channels: CHANNELS, ...overrides };
  }

  const reasonOf = (decision: CheckoutDecision, toolId: string) =>
    decision.unavailable.find((entry) => entry.toolId === toolId)?.reason ?? (decision.available.some((o) => o.toolId === toolId) ? 'AVAILABLE' : 'MISSING');

  test('every tool appears exactly once; available in rank order with the default first', () => {
    const decision = decideCheckout(
      [acceptance('b', { checkoutRank: 2 }), acceptance('a', { checkoutRank: 1 }), acceptance('c', { checkoutRank: 3, status: 'PILOT' })],
      storefront(),
      [tool('c'), tool('b'), tool('a'), tool('d')],
    );
    expect(decision.available).toEqual([
      { toolId: 'a', rank: 1, isDefault: true, nextActionType: null },
      { toolId: 'b', rank: 2, isDefault: false, nextActionType: null },
    ]);
    expect(decision.unavailable.map((u) => [u.toolId, u.reason])).toEqual([
      ['c', 'NOT_YET_LIVE'],
      ['d', 'PLATFORM_NOT_ACCEPTING'],
    ]);
    for (const entry of decision.unavailable) expect(entry.detail).not.toBe('');
  });

  test.each<[string, UnavailableReason | 'AVAILABLE', AcceptanceFacts | null, Partial<StorefrontFacts> | null, Partial<ToolFacts>, CheckoutContext]>([
    ['a live rule, in range, on a supported channel', 'AVAILABLE', acceptance('t'), {}, {}, { amountMinor: 100, channel: 'WEB' }],
    ['no rule for the tool', 'PLATFORM_NOT_ACCEPTING', null, {}, {}, {}],
    ['a rule the platform switched off', 'PLATFORM_NOT_ACCEPTING', acceptance('t', { status: 'SUSPENDED' }), {}, {}, {}],
    ['no storefront on the platform', 'PLATFORM_NOT_ACCEPTING', acceptance('t'), null, {}, {}],
    ['a PILOT rule', 'NOT_YET_LIVE', acceptance('t', { status: 'PILOT' }), {}, {}, {}],
    ['an ANNOUNCED rule', 'NOT_YET_LIVE', acceptance('t', { status: 'ANNOUNCED' }), {}, {}, {}],
    ['a suspended tool', 'TOOL_UNAVAILABLE', acceptance('t'), {}, { operational: false }, {}],
    ['a suspended merchant', 'MERCHANT_SUSPENDED', acceptance('t'), { merchantStatus: 'SUSPENDED' }, {}, {}],
    ['an opt-in rule and an ineligible merchant that had opened it', 'MERCHANT_INELIGIBLE', acceptance('t', { requiresMerchantOptIn: true }), { merchantEligible: false, enrolledToolIds: ['t'] }, {}, {}],
    ['an opt-in rule the merchant did not open', 'MERCHANT_NOT_OPTED_IN', acceptance('t', { requiresMerchantOptIn: true }), { enrolledToolIds: ['other'] }, {}, {}],
    ['an opt-in rule the merchant opened', 'AVAILABLE', acceptance('t', { requiresMerchantOptIn: true, status: 'ROLLING_OUT' }), { enrolledToolIds: ['t'] }, {}, {}],
    ['eligibility does not matter without opt-in', 'AVAILABLE', acceptance('t'), { merchantEligible: false }, {}, {}],
    ['a channel the tool does not work on', 'CHANNEL_NOT_SUPPORTED', acceptance('t'), {}, {}, { channel: 'MINI_PROGRAM' }],
    ['an amount below the minimum', 'UNDER_LIMIT', acceptance('t'), {}, {}, { amountMinor: 99 }],
    ['an amount above the maximum', 'OVER_LIMIT', acceptance('t'), {}, {}, { amountMinor: 10_001 }],
    ['an amount at the maximum', 'AVAILABLE', acceptance('t'), {}, {}, { amountMinor: 10_000 }],
  ])('%s: %s', (_name, expected, rule, facts, toolFacts, context) => {
    const decision = decideCheckout(rule ? [rule] : [], facts ? storefront(facts) : null, [tool('t', toolFacts)], context);
    expect(reasonOf(decision, 't')).toBe(expected);
    expect(decision.available.length + decision.unavailable.length).toBe(1);
  });

  test('with everything wrong at once, each reason gives way to the one before it in the precedence order', () => {
    // Start with every reason applying, then fix them one by one in precedence order.
    const fixes: ((c: { rule: AcceptanceFacts | null; facts: StorefrontFacts | null; tool: ToolFacts; context: CheckoutContext }) => void)[] = [
      (c) => (c.rule = acceptance('t', { status: 'PILOT', requiresMerchantOptIn: true })),
      (c) => c.rule && (c.rule.status = 'LIVE'),
      (c) => (c.tool.operational = true),
      (c) => c.facts && (c.facts.merchantStatus = 'ACTIVE'),
      (c) => c.facts && (c.facts.merchantEligible = true),
      (c) => c.facts && (c.facts.enrolledToolIds = ['t']),
      (c) => (c.context.channel = 'WEB'),
      (c) => (c.context.amountMinor = 20_000),
      (c) => (c.context.amountMinor = 500),
    ];
    const current = {
      rule: null as AcceptanceFacts | null,
      facts: storefront({ merchantStatus: 'SUSPENDED', merchantEligible: false }) as StorefrontFacts | null,
      tool: tool('t', { operational: false }),
      context: { channel: 'MINI_PROGRAM', amountMinor: 1 } as CheckoutContext,
    };
    const seen: string[] = [];
    for (const fix of fixes) {
      seen.push(reasonOf(decideCheckout(current.rule ? [current.rule] : [], current.facts, [current.tool], current.context), 't'));
      fix(current);
    }
    seen.push(reasonOf(decideCheckout(current.rule ? [current.rule] : [], current.facts, [current.tool], current.context), 't'));
    expect(seen).toEqual([...UNAVAILABLE_REASON_PRECEDENCE, 'AVAILABLE']);
  });

  test('the precedence order is fixed and covers every reason once', () => {
    expect(UNAVAILABLE_REASON_PRECEDENCE).toEqual([
      'PLATFORM_NOT_ACCEPTING',
      'NOT_YET_LIVE',
      'TOOL_UNAVAILABLE',
      'MERCHANT_SUSPENDED',
      'MERCHANT_INELIGIBLE',
      'MERCHANT_NOT_OPTED_IN',
      'CHANNEL_NOT_SUPPORTED',
      'UNDER_LIMIT',
      'OVER_LIMIT',
    ]);
  });

  test('a requested channel gives each option its next action there', () => {
    const decision = decideCheckout([acceptance('t')], storefront(), [tool('t')], { channel: 'WEB' });
    expect(decision.available[0]?.nextActionType).toBe('QR_CODE');
    expect(decideCheckout([acceptance('t')], storefront(), [tool('t')], { channel: 'H5' }).available[0]?.nextActionType).toBe('REDIRECT');
  });

  test('rules for tools payments does not know are ignored', () => {
    const decision = decideCheckout([acceptance('mystery', { checkoutRank: 0 }), acceptance('t')], storefront(), [tool('t')]);
    expect(decision.available.map((o) => o.toolId)).toEqual(['t']);
    expect(decision.unavailable).toEqual([]);
  });

  test('effectiveOptions is decideCheckout without amount and channel, for every combination of facts', () => {
    const rules = ALL_STATUSES.flatMap((status, i) => [
      acceptance(`${status}-open`, { status, checkoutRank: i }),
      acceptance(`${status}-opt-in`, { status, checkoutRank: i, requiresMerchantOptIn: true }),
    ]);
    const tools = rules.map((rule, i) => tool(rule.toolId, { operational: i % 3 !== 0 }));
    const operational = (toolId: string) => tools.find((t) => t.toolId === toolId)?.operational ?? false;
    for (const merchantStatus of ['ACTIVE', 'SUSPENDED'] as const) {
      for (const merchantEligible of [true, false]) {
        for (const enrolledToolIds of [[], rules.map((rule) => rule.toolId)]) {
          const facts = storefront({ merchantStatus, merchantEligible, enrolledToolIds });
          const decided = decideCheckout(rules, facts, tools).available.map(({ toolId, rank, isDefault }) => ({ toolId, rank, isDefault }));
          expect(effectiveOptions(rules, facts, operational)).toEqual(decided);
          // merchantMayUse is the rule's platform and merchant half: every available tool passes it.
          for (const rule of rules) {
            if (decided.some((option) => option.toolId === rule.toolId)) expect(merchantMayUse(rule, facts)).toBe(true);
          }
        }
      }
    }
  });
});
