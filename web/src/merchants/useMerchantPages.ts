// Merchants a page at a time from the graph's cursor pagination: the first
// page when the filters change, more on request, appended in order.
import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from '../api/client';
import { graphql } from '../gql';
import type { MerchantSearchQuery } from '../gql/graphql';

export const PAGE_SIZE = 20;

const MerchantSearch = graphql(`
  query MerchantSearch($platformId: ID, $acceptsToolId: ID, $nameContains: String, $first: Int, $after: String) {
    merchants(platformId: $platformId, acceptsToolId: $acceptsToolId, nameContains: $nameContains, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          city
          category
          status
          storefronts {
            platform {
              id
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type MerchantHit = NonNullable<MerchantSearchQuery['merchants']>['edges'][number]['node'];

export interface Filters {
  platformId?: string | undefined;
  acceptsToolId?: string | undefined;
  /** Text the merchant's name holds, in any case. */
  nameContains?: string | undefined;
}

export interface MerchantPages {
  status: 'loading' | 'ready' | 'error';
  merchants: MerchantHit[];
  totalCount: number;
  hasNextPage: boolean;
  loadingMore: boolean;
  error?: unknown;
  loadMore(): void;
  retry(): void;
}

interface State {
  status: MerchantPages['status'];
  merchants: MerchantHit[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  loadingMore: boolean;
  error?: unknown;
}

const EMPTY: State = { status: 'loading', merchants: [], totalCount: 0, endCursor: null, hasNextPage: false, loadingMore: false };

export function useMerchantPages(filters: Filters): MerchantPages {
  const [state, setState] = useState<State>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  // Answers for filters that have since changed are dropped.
  const generation = useRef(0);
  const key = JSON.stringify({
    platformId: filters.platformId ?? null,
    acceptsToolId: filters.acceptsToolId ?? null,
    nameContains: filters.nameContains ?? null,
  });

  const fetchPage = useCallback(
    async (after: string | null, mine: number) => {
      const { platformId, acceptsToolId, nameContains } = JSON.parse(key) as Record<keyof Filters, string | null>;
      try {
        const { merchants } = await request(MerchantSearch, { platformId, acceptsToolId, nameContains, first: PAGE_SIZE, after });
        if (mine !== generation.current) return;
        setState((previous) => ({
          status: 'ready',
          merchants: [...(after ? previous.merchants : []), ...(merchants?.edges.map((edge) => edge.node) ?? [])],
          totalCount: merchants?.totalCount ?? 0,
          endCursor: merchants?.pageInfo.endCursor ?? null,
          hasNextPage: merchants?.pageInfo.hasNextPage ?? false,
          loadingMore: false,
        }));
      } catch (error) {
        if (mine !== generation.current) return;
        // A failed "load more" keeps the merchants already shown.
        setState((previous) => (after ? { ...previous, loadingMore: false, error } : { ...EMPTY, status: 'error', error }));
      }
    },
    [key],
  );

  useEffect(() => {
    generation.current += 1;
    setState(EMPTY);
    void fetchPage(null, generation.current);
  }, [fetchPage, attempt]);

  const loadMore = () => {
    if (!state.hasNextPage || state.loadingMore) return;
    setState((previous) => ({ ...previous, loadingMore: true, error: undefined }));
    void fetchPage(state.endCursor, generation.current);
  };

  return { ...state, loadMore, retry: () => setAttempt((n) => n + 1) };
}
