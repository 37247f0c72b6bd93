import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Calls `onStatus` with each status a payment takes, live, until it settles; e.g. followPayment('ws://localhost:4000/', key, 'pay_...', console.log). */
export async function followPayment(gateway: string, apiKey: string, paymentId: string, onStatus: (status: string) => void) {
  const client = createClient({
    url: gateway,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': apiKey }, // or { authorization: 'Bearer <key or token>' }
  });
  const query = 'subscription ($id: ID!) { paymentUpdated(id: $id) { status merchant { name } } }';
  try {
    for await (const result of client.iterate<{ paymentUpdated: { status: string } }>({ query, variables: { id: paymentId } })) {
      if (result.errors) throw new Error(result.errors.map((error) => error.extensions?.['code']).join(', '));
      const status = result.data!.paymentUpdated.status;
      onStatus(status);
      if (status === 'SUCCEEDED') return; // refunds may still follow; stop here for a checkout page
    }
  } finally {
    await client.dispose();
  }
}
