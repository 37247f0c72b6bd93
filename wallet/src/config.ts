// The sandbox wallet's settings: the shared ones (kit `serviceEnv`: host,
// storage) and its own port and signing secrets. Read once at start by main.ts.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { DEFAULT_PORTS, ownSecret, ownSecrets, port, readServiceConfig, SECRET_MIN_LENGTH, secretList, serviceEnv, z } from '@interop/kit';

export const walletEnv = serviceEnv.extend({
  WALLET_PORT: port(DEFAULT_PORTS.wallet),
  /** Shared secret for the wallet's signed API calls and webhooks; set your own outside development. */
  WALLET_SIGNING_SECRET: z.string().min(SECRET_MIN_LENGTH).default(DEVELOPMENT_WALLET_SECRET),
  /** More wallet secrets accepted, never signed with, while the wallet secret is rotated (comma-separated). */
  WALLET_SIGNING_SECRETS_ACCEPTED: secretList(SECRET_MIN_LENGTH),
});

export function readWalletConfig(source: Record<string, string | undefined> = process.env) {
  const config = readServiceConfig(walletEnv, source);
  return {
    ...config,
    /** WALLET_SIGNING_SECRET; throws a ConfigError for the development value under NODE_ENV=production. */
    walletSecret: () => ownSecret('WALLET_SIGNING_SECRET', config.WALLET_SIGNING_SECRET, DEVELOPMENT_WALLET_SECRET, config.NODE_ENV),
    /** WALLET_SIGNING_SECRETS_ACCEPTED, under the same rule: what the wallet accepts besides `walletSecret()`. */
    walletAcceptedSecrets: () => ownSecrets('WALLET_SIGNING_SECRETS_ACCEPTED', config.WALLET_SIGNING_SECRETS_ACCEPTED, DEVELOPMENT_WALLET_SECRET, config.NODE_ENV),
  };
}
