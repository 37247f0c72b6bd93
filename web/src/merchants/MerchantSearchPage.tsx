// Merchants by name, platform and accepted tool, a page at a time. The filters
// live in the URL, so a search can be reloaded or shared.
import { useEffect, useState } from 'react';
import { navigate, useLocation, withQuery } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { useDebounced } from '../ui/useDebounced';
import { usePageTitle } from '../ui/usePageTitle';
import { MerchantList } from './MerchantList';
import { SearchFilters } from './SearchFilters';
import { useMerchantPages } from './useMerchantPages';

interface Search {
  platformId: string | undefined;
  toolId: string | undefined;
  name: string | undefined;
}

const show = (search: Search) =>
  navigate(withQuery('merchants', { name: search.name, platform: search.platformId, tool: search.toolId }), { replace: true });

export function MerchantSearchPage() {
  usePageTitle('Merchants');
  const { query } = useLocation();
  const search: Search = {
    platformId: query.get('platform') ?? undefined,
    toolId: query.get('tool') ?? undefined,
    name: query.get('name')?.trim() || undefined,
  };
  const pages = useMerchantPages({ platformId: search.platformId, acceptsToolId: search.toolId, nameContains: search.name });
  // The box answers every key; the URL, and with it the search, follows once typing pauses.
  const [nameText, setNameText] = useState(search.name ?? '');
  const typedName = useDebounced(nameText.trim(), 300) || undefined;
  useEffect(() => {
    if (typedName !== search.name) show({ ...search, name: typedName });
    // Only a pause in typing moves the URL here; the other filters move it themselves.
  }, [typedName]);

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Find a merchant</h1>
      <p className="lede">Merchants by name, with a storefront on a platform, and those where a buyer can pay with a given tool right now.</p>
      <SearchFilters
        platformId={search.platformId}
        toolId={search.toolId}
        onChange={(next) => show({ ...next, name: search.name })}
        nameText={nameText}
        onNameText={setNameText}
      />
      {pages.status === 'loading' && <Loading what="merchants" />}
      {pages.status === 'error' && <ErrorNotice title="The merchants could not be loaded" error={pages.error} onRetry={pages.retry} />}
      {pages.status === 'ready' && (
        <>
          <p className="result-count" role="status">
            {pages.totalCount === 0
              ? 'No merchant matches.'
              : `Showing ${pages.merchants.length} of ${pages.totalCount.toLocaleString('en')} merchant${pages.totalCount === 1 ? '' : 's'}.`}
          </p>
          <MerchantList merchants={pages.merchants} platformId={search.platformId} />
          {pages.error !== undefined && <ErrorNotice title="The next page could not be loaded" error={pages.error} />}
          {pages.hasNextPage && (
            <button type="button" className="button button-secondary load-more" onClick={pages.loadMore} disabled={pages.loadingMore}>
              {pages.loadingMore ? 'Loading more…' : 'Show more merchants'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
