// The payment tools the graph knows. Names, providers and interoperability come
// from the source story (Beijing Business Daily, 2024-09-04); per-payment limits
// and operational states are demo data.
import type { InteropRow, PaymentToolRow } from './types';

const YUAN = 100;

export const paymentTools: readonly PaymentToolRow[] = [
  { id: 'alipay', name: 'Alipay', provider: 'Ant Group', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'e-cny', name: 'Digital RMB (e-CNY)', provider: "People's Bank of China", kind: 'CENTRAL_BANK_DIGITAL_CURRENCY', perPaymentMinMinor: 1, perPaymentMaxMinor: 50_000 * YUAN },
  { id: 'hebao', name: 'Hebao', provider: 'China Mobile', kind: 'CARRIER_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 20_000 * YUAN },
  { id: 'jd-pay', name: 'JD Pay', provider: 'JD Technology', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 200_000 * YUAN },
  { id: 'unionpay-quickpass', name: 'UnionPay QuickPass', provider: 'China UnionPay', kind: 'CARD_NETWORK', perPaymentMinMinor: 1, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'wechat-pay', name: 'WeChat Pay', provider: 'Tencent', kind: 'DIGITAL_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 500_000 * YUAN },
  { id: 'wing-pay', name: 'Wing Pay', provider: 'China Telecom', kind: 'CARRIER_WALLET', perPaymentMinMinor: 1, perPaymentMaxMinor: 20_000 * YUAN },
].map((tool) => ({ ...tool, kind: tool.kind as PaymentToolRow['kind'], currency: 'CNY' as const, operationalStatus: 'OPERATIONAL' as const }));

const WECHAT_INTEROP = `Beijing Business Daily, 2024-09-04: "wechat pay has previously carried out payment interoperability cooperation with unionpay quickpass, jd pay, payment platforms under the three major operators, and digital rmb"`;

// China Unicom's payment platform, the third carrier named in the story, is not a tool in this graph yet.
export const interoperability: readonly InteropRow[] = ['unionpay-quickpass', 'jd-pay', 'wing-pay', 'hebao', 'e-cny'].map(
  (toolId) => ({ toolIds: ['wechat-pay', toolId] as const, source: WECHAT_INTEROP }),
);
