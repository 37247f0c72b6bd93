// The sandbox wallet's own settings: its port and the secrets it signs and
// accepts, whose development value is public.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { ConfigError } from '@interop/kit';
import { readWalletConfig } from '../config';

const OWN = 'a-wallet-secret-of-our-own';

test('defaults: port 4004 and the development secret, nothing accepted besides it', () => {
  const config = readWalletConfig({});
  expect(config.WALLET_PORT).toBe(4004);
  expect(config.walletSecrets()).toEqual({ secret: DEVELOPMENT_WALLET_SECRET, accepted: [] });
});

test('under NODE_ENV=production the wallet needs a secret of its own, and never the subgraph secret (it does not hear from the gateway)', () => {
  expect(() => readWalletConfig({ NODE_ENV: 'production' }).walletSecrets()).toThrow(ConfigError);
  expect(() => readWalletConfig({ NODE_ENV: 'production', WALLET_SIGNING_SECRET: DEVELOPMENT_WALLET_SECRET }).walletSecrets()).toThrow(ConfigError);
  const config = readWalletConfig({ NODE_ENV: 'production', WALLET_SIGNING_SECRET: OWN });
  expect(config.walletSecrets().secret).toBe(OWN);
  expect(() => config.trust()).toThrow(ConfigError);
});

test('secrets accepted for a rotation: a list, blanks dropped; the development value is refused among them under production', () => {
  const config = readWalletConfig({ WALLET_SIGNING_SECRET: OWN, WALLET_SIGNING_SECRETS_ACCEPTED: 'the-old-wallet-secret-0001, the-older-wallet-secret-01,' });
  expect(config.walletSecrets().accepted).toEqual(['the-old-wallet-secret-0001', 'the-older-wallet-secret-01']);
  expect(readWalletConfig({ WALLET_SIGNING_SECRETS_ACCEPTED: ' ' }).walletSecrets().accepted).toEqual([]);
  const production = readWalletConfig({ NODE_ENV: 'production', WALLET_SIGNING_SECRET: OWN, WALLET_SIGNING_SECRETS_ACCEPTED: DEVELOPMENT_WALLET_SECRET });
  expect(() => production.walletSecrets()).toThrow(ConfigError);
});

test.each([
  ['a port out of range', { WALLET_PORT: '65536' }],
  ['a signing secret shorter than 16 characters', { WALLET_SIGNING_SECRET: 'too-short' }],
  ['an accepted secret shorter than 16 characters', { WALLET_SIGNING_SECRETS_ACCEPTED: 'the-old-wallet-secret-0001,too-short' }],
])('%s is a ConfigError', (_name, source) => {
  expect(() => readWalletConfig(source)).toThrow(ConfigError);
});
