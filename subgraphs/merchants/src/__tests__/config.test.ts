// The merchants subgraph's own setting (MERCHANT_COUNT) beside the shared ones.
import { ConfigError } from '@interop/kit';
import { readMerchantsConfig } from '../config';

test('MERCHANT_COUNT defaults to 5000, an empty value counts as unset, and the shared settings come along', () => {
  expect(readMerchantsConfig({}).MERCHANT_COUNT).toBe(5000);
  expect(readMerchantsConfig({ MERCHANT_COUNT: '  ' }).MERCHANT_COUNT).toBe(5000);
  const config = readMerchantsConfig({ MERCHANT_COUNT: '0', COMMERCE_PORT: '5001' });
  expect(config.MERCHANT_COUNT).toBe(0);
  expect(config.peerUrl('commerce')).toBe('http://127.0.0.1:5001/graphql');
});

test.each([
  ['a negative merchant count', { MERCHANT_COUNT: '-1' }],
  ['a merchant count in exponent form', { MERCHANT_COUNT: '1e3' }],
  ['a merchant count above 5,000,000', { MERCHANT_COUNT: '5000001' }],
  ['a shared setting that is wrong', { MERCHANTS_PORT: '70000' }],
])('%s is a ConfigError', (_name, source) => {
  expect(() => readMerchantsConfig(source)).toThrow(ConfigError);
});
