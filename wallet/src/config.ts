// The sandbox wallet's settings: the shared ones (kit `serviceEnv`: host,
// storage) and its own port and signing secrets. Read once at start by main.ts.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { DEFAULT_PORTS, port, readServiceConfig, rotatingSecret, serviceEnv } from '@interop/kit';

/** The secret of the wallet's signed API calls and webhooks, shared with payments; set your own outside development. */
const walletSigning = rotatingSecret('WALLET_SIGNING_SECRET', DEVELOPMENT_WALLET_SECRET);

export const walletEnv = serviceEnv.extend({
  WALLET_PORT: port(DEFAULT_PORTS.wallet),
  ...walletSigning.fields,
});

export function readWalletConfig(source: Record<string, string | undefined> = process.env) {
  const config = readServiceConfig(walletEnv, source);
  return {
    ...config,
    /** The wallet secret and those accepted besides it; throws a ConfigError for the development value under NODE_ENV=production. */
    walletSecrets: () => walletSigning.read(config),
  };
}
