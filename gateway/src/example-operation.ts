// The operation Apollo Sandbox opens on: a newcomer presses Run and sees which
// tools Taobao takes, where each stands, and the checkout at one merchant:
// what a buyer can pay with on the web, and why the rest is missing.
export const EXAMPLE_OPERATION = /* GraphQL */ `# Which payment tools does Taobao accept, what can a buyer at one merchant pay with, and why not the others?
query TaobaoCheckout($platformId: ID!, $merchantId: ID!, $amount: MoneyInput, $channel: Channel) {
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
  checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {
    available { rank isDefault nextActionType tool { name } }
    unavailable { tool { name } reason detail }
  }
}
`;

export const EXAMPLE_VARIABLES = { platformId: 'taobao', merchantId: 'm0000001', amount: { amountMinor: 19900, currency: 'CNY' }, channel: 'WEB' };
