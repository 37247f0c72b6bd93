// Read traffic through the balancer, as partner apps send it with the SDK:
// a platform's rules (commerce), a checkout (payments, which asks merchants
// and commerce), and a merchant's storefront (merchants and commerce), over
// many merchants so most answers are not served from the response cache.
import { createInteropClient } from '@interop/sdk';
import { send, type TransportSettings } from '../../packages/sdk/src/transport';
import { CallLoop, sleep, type Recorder } from './recorder';
import { SDK_SETTINGS } from './sdk-settings';

const STOREFRONT = /* GraphQL */ `query ClusterStorefront($id: ID!) {
  merchant(id: $id) { id name storefront(platformId: "taobao") { enrolledTools { id } paymentOptions { tool { id } } } }
}`;

const PLATFORMS = ['taobao', 'jd', 'meituan-waimai', 'ele-me', 'damai'];

export interface ReaderOptions {
  /** The gateway's GraphQL endpoint through the balancer. */
  url: string;
  keys: readonly string[];
  merchants: readonly string[];
  recorder: Recorder;
  running: () => boolean;
  pauseMs: number;
  /** Where in the key and merchant lists this reader starts, so readers do not move in step. */
  offset: number;
}

export async function runReader(options: ReaderOptions): Promise<void> {
  const loop = new CallLoop();
  const clients = options.keys.map((apiKey) => createInteropClient({ url: options.url, apiKey, fetch: loop.fetch, ...SDK_SETTINGS }));
  const raw = options.keys.map(
    (apiKey): TransportSettings => ({ url: options.url, headers: { 'x-api-key': apiKey }, fetch: loop.fetch, maxRetryWaitMs: 30_000, ...SDK_SETTINGS }),
  );
  for (let i = options.offset; options.running(); i += 1) {
    const client = clients[i % clients.length]!;
    const merchantId = options.merchants[(i * 7) % options.merchants.length]!;
    switch (i % 3) {
      case 0:
        await options.recorder.call('read platform', loop, () => client.platformAcceptance(PLATFORMS[i % PLATFORMS.length]!));
        break;
      case 1:
        await options.recorder.call('read checkout', loop, () =>
          client.checkout({ platformId: 'taobao', merchantId, amount: { amountMinor: 100 + ((i * 131) % 90_000), currency: 'CNY' } }),
        );
        break;
      default:
        await options.recorder.call('read storefront', loop, () => send(raw[i % raw.length]!, { query: STOREFRONT, variables: { id: merchantId } }));
    }
    await sleep(options.pauseMs);
  }
}
