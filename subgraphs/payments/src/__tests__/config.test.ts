// The payments subgraph's own settings: the wallet it calls and the secrets it
// shares with it, how long payments wait, and partner webhook delivery.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { ConfigError } from '@interop/kit';
import { readPaymentsConfig } from '../config';
import { DEFAULT_WEBHOOK_SETTINGS, webhookSettingsFromConfig } from '../webhooks/settings';

test('defaults: payment timing, the wallet on its default port, and the webhook contract', () => {
  const config = readPaymentsConfig({});
  expect(config).toMatchObject({ PAYMENT_TTL_SECONDS: 900, PAYMENT_RECONCILE_AFTER_MS: 60_000, PAYMENT_SWEEP_INTERVAL_MS: 5_000 });
  expect(config.walletUrl).toBe('http://127.0.0.1:4004');
  expect(config.walletPublicUrl).toBe('http://localhost:4004');
  expect(config.paymentsWebhookUrl).toBe('http://127.0.0.1:4002/webhooks/wallet');
  expect(config.walletSecrets()).toEqual({ secret: DEVELOPMENT_WALLET_SECRET, accepted: [] });
  expect(webhookSettingsFromConfig(config)).toEqual(DEFAULT_WEBHOOK_SETTINGS);
});

test('the wallet addresses follow WALLET_PORT and PAYMENTS_PORT unless given', () => {
  const moved = readPaymentsConfig({ WALLET_PORT: '5004', PAYMENTS_PORT: '5002' });
  expect([moved.walletUrl, moved.walletPublicUrl, moved.paymentsWebhookUrl]).toEqual(['http://127.0.0.1:5004', 'http://localhost:5004', 'http://127.0.0.1:5002/webhooks/wallet']);
  const given = readPaymentsConfig({ WALLET_URL: 'http://wallet.internal:8080', WALLET_PUBLIC_URL: 'https://wallet.example', PAYMENTS_WEBHOOK_URL: 'http://payments.internal/webhooks/wallet' });
  expect([given.walletUrl, given.walletPublicUrl, given.paymentsWebhookUrl]).toEqual(['http://wallet.internal:8080', 'https://wallet.example', 'http://payments.internal/webhooks/wallet']);
});

test('partner webhook settings reach the delivery settings', () => {
  const config = readPaymentsConfig({ PARTNER_WEBHOOKS_RETRY_BASE_MS: '50', PARTNER_WEBHOOKS_ALLOW_INSECURE: 'yes', PARTNER_WEBHOOKS_POLL_MS: '10', PARTNER_WEBHOOKS_TIMEOUT_MS: '' });
  expect(webhookSettingsFromConfig(config)).toMatchObject({ retryBaseMs: 50, allowInsecure: true, allowPrivate: false, pollMs: 10, timeoutMs: 10_000 });
});

test('under NODE_ENV=production payments needs the wallet secret of its own, and refuses the development one among those accepted', () => {
  const production = { NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: 'a-subgraph-secret-of-our-own' };
  const unset = readPaymentsConfig(production);
  // The subgraph trust does not depend on the wallet secret.
  expect(unset.trust().signingSecret).toBe('a-subgraph-secret-of-our-own');
  expect(() => unset.walletSecrets()).toThrow(ConfigError);
  const own = { ...production, WALLET_SIGNING_SECRET: 'a-wallet-secret-of-our-own' };
  expect(readPaymentsConfig({ ...own, WALLET_SIGNING_SECRETS_ACCEPTED: 'an-older-wallet-secret-of-ours' }).walletSecrets()).toEqual({
    secret: 'a-wallet-secret-of-our-own',
    accepted: ['an-older-wallet-secret-of-ours'],
  });
  expect(() => readPaymentsConfig({ ...own, WALLET_SIGNING_SECRETS_ACCEPTED: DEVELOPMENT_WALLET_SECRET }).walletSecrets()).toThrow(ConfigError);
});

test.each([
  ['a payment TTL under 5 seconds', { PAYMENT_TTL_SECONDS: '4' }],
  ['a payment TTL over a day', { PAYMENT_TTL_SECONDS: '86401' }],
  ['a reconcile delay under 100 ms', { PAYMENT_RECONCILE_AFTER_MS: '99' }],
  ['a sweep interval that is not a number', { PAYMENT_SWEEP_INTERVAL_MS: 'often' }],
  ['a webhook timeout over a minute', { PARTNER_WEBHOOKS_TIMEOUT_MS: '60001' }],
  ['a webhook switch that is neither true nor false', { PARTNER_WEBHOOKS_ALLOW_PRIVATE: 'maybe' }],
  ['a webhook poll under 10 ms', { PARTNER_WEBHOOKS_POLL_MS: '9' }],
  ['a wallet URL that is not a URL', { WALLET_URL: 'wallet' }],
  ['a wallet secret shorter than 16 characters', { WALLET_SIGNING_SECRET: 'too-short' }],
  ['an accepted wallet secret shorter than 16 characters', { WALLET_SIGNING_SECRETS_ACCEPTED: 'the-old-wallet-secret-0001,too-short' }],
])('%s is a ConfigError', (_name, source) => {
  expect(() => readPaymentsConfig(source)).toThrow(ConfigError);
});
