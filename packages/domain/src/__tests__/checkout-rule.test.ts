// The checkout rule on its own: which acceptance statuses take payments, what
// opt-in asks of a merchant, and how the options are ordered.
import {
  effectiveOptions,
  isOpenForCheckout,
  merchantMayUse,
  toolReach,
  type AcceptanceFacts,
  type AcceptanceStatus,
  type StorefrontFacts,
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
