export * from './checkout-rule';
export * from './payment-lifecycle';
export * from './sandbox-wallet';
