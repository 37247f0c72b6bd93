// The platforms and tools the pickers offer, in the graph's order.
import { useQuery } from './api/useQuery';
import { graphql } from './gql';

const Catalog = graphql(`
  query Catalog {
    platforms {
      id
      name
    }
    paymentTools {
      id
      name
    }
  }
`);

export function useCatalog() {
  return useQuery(Catalog, {});
}
