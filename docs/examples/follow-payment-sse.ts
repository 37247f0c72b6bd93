import { createClient } from 'graphql-sse';

/** The same over Server-Sent Events; with `singleConnection: true` every subscription of the client shares one stream. */
export async function followPaymentOverSse(gateway: string, apiKey: string, paymentId: string, onStatus: (status: string) => void) {
  const client = createClient({ url: gateway, headers: { 'x-api-key': apiKey }, singleConnection: true });
  const query = 'subscription ($id: ID!) { paymentUpdated(id: $id) { status merchant { name } } }';
  try {
    for await (const result of client.iterate<{ paymentUpdated: { status: string } }>({ query, variables: { id: paymentId } })) {
      if (result.errors) throw new Error(result.errors.map((error) => error.extensions?.['code']).join(', '));
      const status = result.data!.paymentUpdated.status;
      onStatus(status);
      if (status === 'SUCCEEDED') return;
    }
  } finally {
    client.dispose();
  }
}
