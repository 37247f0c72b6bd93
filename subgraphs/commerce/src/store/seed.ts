// The facts commerce starts with. Every acceptance and listing carries its
// source: a quote from the source story (Beijing Business Daily, 2024-09-04),
// or "demo data" where the story is silent and the graph needs a rule.
// The story's speculation (JD.com might connect to Alipay; WeChat might take
// more tools) is deliberately not modelled as an acceptance.
import type { AcceptanceEventRow, AcceptanceRow, ListingRow, PlatformRow } from './types';

const STORY = 'Beijing Business Daily, 2024-09-04';
const story = (quote: string) => `${STORY}: "${quote}"`;
const DEMO = 'demo data';

export const platforms: readonly PlatformRow[] = [
  { id: 'alipay-app', name: 'Alipay app', operator: 'Ant Group', operatorGroup: 'ANT_GROUP', category: 'SUPER_APP' },
  { id: 'damai', name: 'Damai', operator: 'Alibaba Group', operatorGroup: 'ALIBABA', category: 'TICKETING' },
  { id: 'ele-me', name: 'Ele.me', operator: 'Alibaba Group', operatorGroup: 'ALIBABA', category: 'FOOD_DELIVERY' },
  { id: 'jd', name: 'JD.com', operator: 'JD.com', operatorGroup: 'JD', category: 'MARKETPLACE' },
  { id: 'kaola', name: 'Kaola', operator: 'Alibaba Group', operatorGroup: 'ALIBABA', category: 'CROSS_BORDER' },
  { id: 'meituan-hotels', name: 'Meituan Hotels', operator: 'Meituan', operatorGroup: 'MEITUAN', category: 'TRAVEL' },
  { id: 'meituan-waimai', name: 'Meituan Waimai', operator: 'Meituan', operatorGroup: 'MEITUAN', category: 'FOOD_DELIVERY' },
  { id: 'shuqi', name: 'Shuqi', operator: 'Alibaba Group', operatorGroup: 'ALIBABA', category: 'READING' },
  { id: 'taobao', name: 'Taobao', operator: 'Alibaba Group (Taotian Group)', operatorGroup: 'ALIBABA', category: 'MARKETPLACE' },
  { id: 'youku', name: 'Youku', operator: 'Alibaba Group', operatorGroup: 'ALIBABA', category: 'VIDEO' },
];

interface RuleInput {
  platformId: string;
  toolId: string;
  requiresMerchantOptIn?: boolean;
  checkoutRank: number;
  /** Oldest first; the last event is the current status. */
  history: AcceptanceEventRow[];
}

function rule(input: RuleInput): AcceptanceRow {
  const current = input.history.at(-1);
  if (!current) throw new Error(`Rule ${input.platformId}/${input.toolId} has no history`);
  return {
    platformId: input.platformId,
    toolId: input.toolId,
    status: current.status,
    since: current.date,
    requiresMerchantOptIn: input.requiresMerchantOptIn ?? false,
    checkoutRank: input.checkoutRank,
    source: current.source,
    history: input.history,
  };
}

const live = (source: string, date: string | null = null, description = 'Accepted at checkout.'): AcceptanceEventRow => ({
  status: 'LIVE',
  date,
  description,
  source,
});

const ALIBABA_APPS_ON_WECHAT_PAY = story(
  "as early as 2021, alibaba's applications such as ele.me, youku, damai, kaola, and shuqi have all been connected to wechat pay",
);

export const acceptances: readonly AcceptanceRow[] = [
  // Taobao: Alipay first; UnionPay QuickPass since 2021; then e-CNY, Wing Pay and Hebao; WeChat Pay rolling out.
  rule({
    platformId: 'taobao',
    toolId: 'alipay',
    checkoutRank: 1,
    history: [live(story("alipay is still the first choice for taobao's payment page"), null, 'The default, first on the checkout page.')],
  }),
  rule({
    platformId: 'taobao',
    toolId: 'wechat-pay',
    requiresMerchantOptIn: true,
    checkoutRank: 2,
    history: [
      {
        status: 'PILOT',
        date: '2024',
        description: 'Open to some users for some products only.',
        source: story('the wechat payment function was only open to some users and only supported the purchase of some products'),
      },
      {
        status: 'PILOT',
        date: '2024-08-19',
        description: 'Direct jump to WeChat to pay; no internal test or link copying needed.',
        source: story('there is no need for internal testing or copying links. you can directly jump to wechat to complete the payment process'),
      },
      {
        status: 'ROLLING_OUT',
        date: '2024-09-04',
        description: 'Full opening announced: merchants invited in batches; merchants meeting both platforms’ rules may open it themselves.',
        source: story(
          'merchants that meet the relevant regulations and requirements of both platforms can choose to open wechat pay on their own',
        ),
      },
    ],
  }),
  rule({
    platformId: 'taobao',
    toolId: 'unionpay-quickpass',
    checkoutRank: 3,
    history: [live(story('as early as 2021, unionpay quickpass could be used for consumption on taobao'), '2021')],
  }),
  rule({
    platformId: 'taobao',
    toolId: 'e-cny',
    checkoutRank: 4,
    history: [live(story('since then, taobao has gradually connected to mainstream payment tools such as digital rmb, wing payment, and hebao'))],
  }),
  rule({
    platformId: 'taobao',
    toolId: 'wing-pay',
    checkoutRank: 5,
    history: [live(story('since then, taobao has gradually connected to mainstream payment tools such as digital rmb, wing payment, and hebao'))],
  }),
  rule({
    platformId: 'taobao',
    toolId: 'hebao',
    checkoutRank: 6,
    history: [live(story('since then, taobao has gradually connected to mainstream payment tools such as digital rmb, wing payment, and hebao'))],
  }),
  // Alibaba's apps on WeChat Pay since 2021; their Alipay rule is demo data.
  ...['ele-me', 'youku', 'damai', 'kaola', 'shuqi'].flatMap((platformId) => [
    rule({ platformId, toolId: 'alipay', checkoutRank: 1, history: [live(DEMO)] }),
    rule({ platformId, toolId: 'wechat-pay', checkoutRank: 2, history: [live(ALIBABA_APPS_ON_WECHAT_PAY, '2021')] }),
  ]),
  // The Alipay app: services listed inside it are paid with Alipay.
  rule({
    platformId: 'alipay-app',
    toolId: 'alipay',
    checkoutRank: 1,
    history: [live(story('meituan waimai and meituan hotels officially entered alipay on september 4'), null, 'Services inside the Alipay app are paid with Alipay.')],
  }),
  // Meituan's and JD's own apps: the story says nothing about what they accept.
  ...['meituan-waimai', 'meituan-hotels'].flatMap((platformId) => [
    rule({ platformId, toolId: 'wechat-pay', checkoutRank: 1, history: [live(DEMO)] }),
    rule({ platformId, toolId: 'alipay', checkoutRank: 2, history: [live(DEMO)] }),
  ]),
  rule({ platformId: 'jd', toolId: 'jd-pay', checkoutRank: 1, history: [live(DEMO)] }),
  rule({ platformId: 'jd', toolId: 'wechat-pay', checkoutRank: 2, history: [live(DEMO)] }),
  rule({ platformId: 'jd', toolId: 'unionpay-quickpass', checkoutRank: 3, history: [live(DEMO)] }),
];

export const listings: readonly ListingRow[] = [
  {
    hostId: 'alipay-app',
    serviceId: 'meituan-waimai',
    since: '2024-09-04',
    source: story('meituan waimai and meituan hotels officially entered alipay on september 4'),
  },
  {
    hostId: 'alipay-app',
    serviceId: 'meituan-hotels',
    since: '2024-09-04',
    source: story('meituan waimai and meituan hotels officially entered alipay on september 4'),
  },
];
