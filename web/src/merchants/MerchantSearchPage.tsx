// Merchants by platform and accepted tool, a page at a time. The filters live
// in the URL, so a search can be reloaded or shared.
import { navigate, useLocation, withQuery } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { usePageTitle } from '../ui/usePageTitle';
import { MerchantList } from './MerchantList';
import { SearchFilters } from './SearchFilters';
import { useMerchantPages } from './useMerchantPages';

export function MerchantSearchPage() {
  usePageTitle('Merchants');
  const { query } = useLocation();
  const platformId = query.get('platform') ?? undefined;
  const acceptsToolId = query.get('tool') ?? undefined;
  const pages = useMerchantPages({ platformId, acceptsToolId });

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Find a merchant</h1>
      <p className="lede">Merchants with a storefront on a platform, and those where a buyer can pay with a given tool right now.</p>
      <SearchFilters
        platformId={platformId}
        toolId={acceptsToolId}
        onChange={(next) => navigate(withQuery('merchants', { platform: next.platformId, tool: next.toolId }), { replace: true })}
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
          <MerchantList merchants={pages.merchants} platformId={platformId} />
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
