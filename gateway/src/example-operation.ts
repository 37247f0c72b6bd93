// The operation Apollo Sandbox opens on: a newcomer presses Run and sees which
// tools Taobao takes, where each stands, and the checkout at one merchant.
export const EXAMPLE_OPERATION = /* GraphQL */ `# Which payment tools does Taobao accept, and what can a buyer at one merchant pay with?
query TaobaoCheckout($platformId: ID!, $merchantId: ID!) {
  platform(id: $platformId) {
    name
    operator
    acceptedPaymentTools {
      tool { id name provider }
      status
      since
      requiresMerchantOptIn
      source
    }
  }
  checkoutOptions(platformId: $platformId, merchantId: $merchantId) {
    rank
    isDefault
    tool { name }
  }
}
`;

export const EXAMPLE_VARIABLES = { platformId: 'taobao', merchantId: 'm0000001' };
