// The sandbox wallet as a PaymentProvider: signed JSON calls to its API with a
// timeout. Anything but a clear answer is DEPENDENCY_UNAVAILABLE.
import { dependencyUnavailable, parseJsonOrUndefined, z } from '@interop/kit';
import { httpRequest } from '@interop/kit/server';
import { signatureHeader, SIGNATURE_HEADER } from '@interop/kit/security';
import type { NextActionRequest, PaymentProvider, ProviderNextAction, ProviderPayment, ProviderPaymentState } from './provider';

export interface SandboxWalletOptions {
  /** Where payments reaches the wallet's API. */
  apiUrl: string | (() => string);
  /** The wallet as a buyer's browser reaches it. */
  publicUrl: string | (() => string);
  /** Where the wallet sends this payment's webhooks. */
  notifyUrl: string | (() => string);
  secret: string;
  timeoutMs: number;
}

const paymentState = z.object({
  status: z.enum(['PENDING', 'APPROVED', 'DECLINED', 'CANCELED', 'EXPIRED']),
  amountMinor: z.number().int(),
  currency: z.string(),
});

const resolve = (value: string | (() => string)) => (typeof value === 'string' ? value : value());

export class SandboxWallet implements PaymentProvider {
  constructor(private readonly options: SandboxWalletOptions) {}

  /**
   * The sandbox has one approval page per payment, whatever the tool; the
   * channel rides along in its address, where a real wallet would pick its
   * API (an app jump from APP and H5, a code to scan on WEB). For QR_CODE the
   * code encodes that address.
   */
  async nextActionFor({ paymentId, channel, type }: NextActionRequest): Promise<ProviderNextAction> {
    const page = `${resolve(this.options.publicUrl)}/sandbox/payments/${encodeURIComponent(paymentId)}`;
    const url = channel ? `${page}?channel=${channel}` : page;
    return { type, url, qrCode: type === 'QR_CODE' ? url : null };
  }

  async createPayment(payment: ProviderPayment): Promise<void> {
    await this.call('PUT', `/v1/payments/${encodeURIComponent(payment.paymentId)}`, {
      ...payment,
      notifyUrl: resolve(this.options.notifyUrl),
    });
  }

  async retrieve(paymentId: string): Promise<ProviderPaymentState | null> {
    const { status, answer } = await this.call('GET', `/v1/payments/${encodeURIComponent(paymentId)}`, undefined, [404]);
    if (status === 404) return null;
    const state = paymentState.safeParse(answer);
    if (!state.success) throw dependencyUnavailable('wallet', new Error(`GET payment ${paymentId}: malformed answer`));
    return state.data;
  }

  async cancelPayment(paymentId: string): Promise<boolean> {
    const { status } = await this.call('POST', `/v1/payments/${encodeURIComponent(paymentId)}/cancel`, {}, [409]);
    return status !== 409;
  }

  async refund(refund: { refundId: string; paymentId: string; amountMinor: number; currency: string }): Promise<void> {
    await this.call('PUT', `/v1/refunds/${encodeURIComponent(refund.refundId)}`, refund);
  }

  /**
   * Sends one call, signed over its method, path and body (a GET has none
   * and signs the empty string); returns the status and JSON answer when the status is 2xx or listed in `expected`.
   */
  private async call(method: string, path: string, body: unknown, expected: readonly number[] = []): Promise<{ status: number; answer: unknown }> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    let status: number;
    let text: string;
    try {
      const response = await httpRequest(`${resolve(this.options.apiUrl)}${path}`, {
        method,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(this.options.secret, { context: 'wallet-api', method, path, body: raw }) },
        ...(body === undefined ? {} : { body: raw }),
        timeoutMs: this.options.timeoutMs,
      });
      status = response.status;
      text = response.text;
    } catch (error) {
      throw dependencyUnavailable('wallet', error);
    }
    if ((status >= 200 && status < 300) || expected.includes(status)) return { status, answer: parseJsonOrUndefined(text) };
    throw dependencyUnavailable('wallet', new Error(`${method} ${path}: HTTP ${status}`));
  }
}
