// One search behind Query.merchants and Platform.merchants: validates the
// arguments, asks the owners for the tool's reach when filtering by tool, and
// pages through the store (with the merchants' storefronts when the operation
// asks for them).
import { badUserInput } from '@interop/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { pageRequest, selectsPath, toPage } from '@interop/kit/server';
import type { MerchantsContext } from './context';
import type { MerchantFilter } from './store/merchants-store';
import type { MerchantConnectionRow, MerchantRow } from './store/types';

export interface MerchantSearch {
  platformId?: string | null | undefined;
  acceptsToolId?: string | null | undefined;
  nameContains?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  /** False when the platform came from the gateway and is known to exist. */
  checkPlatform: boolean;
  /** True when the operation asks for the merchants' storefronts: the page then reads them in the same statement. */
  withStorefronts?: boolean;
}

/** Whether a merchants field's selection reaches `edges { node { storefronts } }`. */
export const asksForStorefronts = (info: GraphQLResolveInfo) => selectsPath(info, ['edges', 'node', 'storefronts']);

/** The longest name fragment searched for: longer than any merchant's name, short enough to cost little. */
export const NAME_CONTAINS_MAX = 100;

/** The text to look for in names, without surrounding spaces; BAD_USER_INPUT when nothing or too much is left. */
function nameFragment(text: string | null | undefined): string | undefined {
  if (text == null) return undefined;
  const fragment = text.trim();
  if (fragment.length === 0 || fragment.length > NAME_CONTAINS_MAX) {
    throw badUserInput('nameContains', `nameContains must be 1-${NAME_CONTAINS_MAX} characters besides surrounding spaces.`);
  }
  return fragment;
}

export async function searchMerchants(search: MerchantSearch, { store, peers, loaders }: MerchantsContext): Promise<MerchantConnectionRow> {
  const page = pageRequest(search.first, search.after);
  const nameContains = nameFragment(search.nameContains);
  const platformId = search.platformId ?? undefined;
  const toolId = search.acceptsToolId ?? undefined;
  const [, accepts] = await Promise.all([
    platformId !== undefined && search.checkPlatform ? peers.assertPlatformExists(platformId, 'platformId') : undefined,
    toolId === undefined ? undefined : peers.reachOfTool(toolId, platformId).then((reach) => ({ toolId, reach })),
  ]);
  const filter: MerchantFilter = { platformId, accepts, nameContains };
  let rows: MerchantRow[];
  if (search.withStorefronts) {
    const read = await store.listMerchantsWithStorefronts(filter, page);
    rows = read.merchants;
    loaders.primeStorefronts(rows, read.storefronts);
  } else {
    rows = await store.listMerchants(filter, page);
  }
  loaders.primeMerchants(rows);
  return { ...toPage(rows, page, (row) => row.seq), totalCount: () => store.countMerchants(filter) };
}
