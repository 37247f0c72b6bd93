import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';

/** The same with Apollo Client over plain HTTP: HttpLink subscribes over multipart HTTP by itself; e.g. followPaymentOverHttp('http://localhost:4000/', key, 'pay_...', console.log). */
export function followPaymentOverHttp(gateway: string, apiKey: string, paymentId: string, onStatus: (status: string) => void): Promise<void> {
  const client = new ApolloClient({ cache: new InMemoryCache(), link: new HttpLink({ uri: gateway, headers: { 'x-api-key': apiKey } }) });
  const query = gql`subscription ($id: ID!) { paymentUpdated(id: $id) { id status merchant { id name } } }`;
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      subscription.unsubscribe();
      client.stop();
      if (error) reject(error);
      else resolve();
    };
    const subscription = client.subscribe<{ paymentUpdated: { status: string } }>({ query, variables: { id: paymentId } }).subscribe({
      next: ({ data, error }) => {
        if (error) return done(error); // error.errors carry the codes, as for a query
        onStatus(data!.paymentUpdated.status);
        if (data!.paymentUpdated.status === 'SUCCEEDED') done(); // refunds may still follow; stop here for a checkout page
      },
      complete: () => done(),
    });
  });
}
