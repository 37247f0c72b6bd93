export * from './checkout-rule';
export * from './payment-lifecycle';
