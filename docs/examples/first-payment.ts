import { createInteropClient, type Payment } from '@interop/sdk';

/**
 * Starts a payment, has the buyer approve it (`showToBuyer` gets the page to
 * open or the QR code's link), and follows it live until it settles.
 */
export async function firstPayment(url: string, apiKey: string, showToBuyer: (link: string) => Promise<void>): Promise<Payment> {
  const interop = createInteropClient({ url, apiKey });
  const started = await interop.initiatePayment({
    platformId: 'taobao',
    merchantId: 'm0000002',
    paymentToolId: 'wechat-pay',
    amount: { amountMinor: 19_900, currency: 'CNY' },
    reference: 'order-1001',
    channel: 'H5', // a phone's browser: WeChat Pay jumps to the WeChat app
  });
  if (started.nextAction) await showToBuyer(started.nextAction.url);
  let outcome = started;
  // The payment now, then at each change: PROCESSING, then SUCCEEDED (or FAILED, CANCELED, EXPIRED), where it ends.
  for await (const payment of interop.followPayment(started.id)) outcome = payment;
  return outcome;
}
