import { createInteropClient, InteropError, type InteropClient, type Payment } from '@interop/sdk';

/** A client for your server: an API key from your secret store, or a token from your identity provider. */
export function partnerClient(url: string, credential: { apiKey: string } | { token: string }): InteropClient {
  return createInteropClient({ url, ...credential });
}

/** The payment, or null when it is someone else's or does not exist. */
export async function ownPayment(interop: InteropClient, paymentId: string): Promise<Payment | null> {
  try {
    return await interop.payment(paymentId);
  } catch (error) {
    if (error instanceof InteropError && error.code === 'FORBIDDEN') return null;
    throw error;
  }
}
