// Rules and listings only ever name platforms in the seed, so a miss is a
// broken seed, reported as an internal error rather than a silent null.
import type { CommerceLoaders } from '../loaders';
import type { PlatformRow } from '../store/types';

export async function requirePlatform(loaders: CommerceLoaders, id: string): Promise<PlatformRow> {
  const platform = await loaders.platform.load(id);
  if (!platform) throw new Error(`Commerce data names unknown platform ${id}`);
  return platform;
}
