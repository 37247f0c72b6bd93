// The payments subgraph's live field as a supergraph declares it, for tests
// that plan or feed subscriptions against a schema of their own.
import { liveFieldsOf } from '../live-fields';

export const LIVE_PAYMENT = liveFieldsOf(`
  enum join__Graph { PAYMENTS @join__graph(name: "payments", url: "http://payments/graphql") }
  type Subscription @join__type(graph: PAYMENTS) {
    paymentUpdated(id: ID!): Payment!
      @live(query: "payment", argument: "id", channel: "payment_events", stream: "/events/payments", eventKey: "paymentId",
            history: "events", change: "toStatus", patches: "status", final: ["FAILED", "CANCELED", "EXPIRED", "REFUNDED"])
  }
`);
