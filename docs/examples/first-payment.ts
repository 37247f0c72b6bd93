import { createInteropClient, type Payment } from '@interop/sdk';

/**
 * Starts a payment, has the buyer approve it (`showToBuyer` gets the page to
 * open or the QR code's link), and follows it until it settles.
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
  for (;;) {
    const payment = await interop.payment(started.id);
    if (!payment) throw new Error(`payment ${started.id} is gone`);
    if (payment.status !== 'REQUIRES_ACTION' && payment.status !== 'PROCESSING') return payment;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
