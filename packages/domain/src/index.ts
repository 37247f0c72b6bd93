export * from './checkout-rule';
