import { createInteropClient } from '@interop/sdk';

/** Offers the buyer the checkout's default tool and starts the payment for an order. */
export async function startCheckout(url: string, apiKey: string, orderId: string) {
  const interop = createInteropClient({ url, apiKey });
  const where = { platformId: 'taobao', merchantId: 'm0000002' };
  const amount = { amountMinor: 19_900, currency: 'CNY' as const }; // ¥199.00, in fen
  const { available } = await interop.checkout({ ...where, amount, channel: 'WEB' });
  const choice = available.find((option) => option.isDefault);
  if (!choice) return null; // nothing to pay with here
  const payment = await interop.initiatePayment({ ...where, amount, channel: 'WEB', paymentToolId: choice.tool.id, reference: orderId });
  return payment.nextAction; // show its qrCode, or send the buyer to its url
}
