// The payment tools the graph knows. Names, providers and interoperability come
// from the source story (Beijing Business Daily, 2024-09-04), and so does WeChat
// Pay's jump to the WeChat app; per-payment limits, operational states and the
// other channels are demo data.
import type { Channel, InteropRow, NextActionType, PaymentToolRow, ToolChannelRow } from './types';

const YUAN = 100;
const DEMO = 'demo data';
const WECHAT_JUMP = `Beijing Business Daily, 2024-09-04: "there is no need for internal testing or copying links. you can directly jump to wechat to complete the payment process"`;

const channel = (name: Channel, nextActionType: NextActionType, source = DEMO): ToolChannelRow => ({ channel: name, nextActionType, source });

/**
 * Alipay opens in-app everywhere, mini-programs inside the Alipay app included.
 * WeChat Pay jumps to the WeChat app from an app (Taobao since 2024-08-19) or a
 * phone's browser, and shows a QR code on the desktop web; mini-programs here
 * are listings inside the Alipay app, where buyers pay with Alipay. The other
 * wallets work like WeChat Pay, and the carriers' wallets only on a phone.
 */
const CHANNELS: Readonly<Record<string, readonly ToolChannelRow[]>> = {
  alipay: [channel('APP', 'REDIRECT'), channel('MINI_PROGRAM', 'REDIRECT'), channel('WEB', 'REDIRECT'), channel('H5', 'REDIRECT')],
  'wechat-pay': [channel('APP', 'REDIRECT', WECHAT_JUMP), channel('WEB', 'QR_CODE'), channel('H5', 'REDIRECT')],
  'unionpay-quickpass': [channel('APP', 'REDIRECT'), channel('WEB', 'QR_CODE'), channel('H5', 'REDIRECT')],
  'e-cny': [channel('APP', 'REDIRECT'), channel('WEB', 'QR_CODE'), channel('H5', 'REDIRECT')],
  'jd-pay': [channel('APP', 'REDIRECT'), channel('WEB', 'QR_CODE'), channel('H5', 'REDIRECT')],
  'wing-pay': [channel('APP', 'REDIRECT'), channel('H5', 'REDIRECT')],
  hebao: [channel('APP', 'REDIRECT'), channel('H5', 'REDIRECT')],
};

export const paymentTools: readonly PaymentToolRow[] = [
  { id: 'alipay', name: 'Alipay', provider: 'Ant Group', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'e-cny', name: 'Digital RMB (e-CNY)', provider: "People's Bank of China", kind: 'CENTRAL_BANK_DIGITAL_CURRENCY', perPaymentMinMinor: 1, perPaymentMaxMinor: 50_000 * YUAN },
  { id: 'hebao', name: 'Hebao', provider: 'China Mobile', kind: 'CARRIER_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 20_000 * YUAN },
  { id: 'jd-pay', name: 'JD Pay', provider: 'JD Technology', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 200_000 * YUAN },
  { id: 'unionpay-quickpass', name: 'UnionPay QuickPass', provider: 'China UnionPay', kind: 'CARD_NETWORK', perPaymentMinMinor: 1 * YUAN, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'wechat-pay', name: 'WeChat Pay', provider: 'Tencent', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'wing-pay', name: 'Wing Pay', provider: 'China Telecom', kind: 'CARRIER_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 20_000 * YUAN },
].map((tool) => ({
  ...tool,
  kind: tool.kind as PaymentToolRow['kind'],
  currency: 'CNY' as const,
  operationalStatus: 'OPERATIONAL' as const,
  channels: CHANNELS[tool.id] ?? [],
}));

const WECHAT_INTEROP = `Beijing Business Daily, 2024-09-04: "wechat pay has previously carried out payment interoperability cooperation with unionpay quickpass, jd pay, payment platforms under the three major operators, and digital rmb"`;

// China Unicom's payment platform, the third carrier named in the story, is not a tool in this graph yet.
export const interoperability: readonly InteropRow[] = ['unionpay-quickpass', 'jd-pay', 'wing-pay', 'hebao', 'e-cny'].map(
  (toolId) => ({ toolIds: ['wechat-pay', toolId] as const, source: WECHAT_INTEROP }),
);
