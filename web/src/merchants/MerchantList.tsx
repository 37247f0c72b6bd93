import { Link, withQuery } from '../router';
import type { MerchantHit } from './useMerchantPages';

const CATEGORY_WORDS: Readonly<Record<string, string>> = {
  APPAREL: 'Apparel',
  ELECTRONICS: 'Electronics',
  GROCERY: 'Grocery',
  RESTAURANT: 'Restaurant',
  HOTEL: 'Hotel',
  BEAUTY: 'Beauty',
  HOME: 'Home',
  ENTERTAINMENT: 'Entertainment',
  DIGITAL_CONTENT: 'Digital content',
};

/** Each merchant with a way to its checkout: on the platform searched for, else on the first it sells on. */
export function MerchantList({ merchants, platformId }: { merchants: readonly MerchantHit[]; platformId: string | undefined }) {
  return (
    <ul className="merchant-list">
      {merchants.map((merchant) => (
        <li key={merchant.id} className="card merchant-card">
          <div>
            <Link to={`merchants/${merchant.id}`} className="merchant-name">
              {merchant.name ?? merchant.id}
            </Link>
            {merchant.status === 'SUSPENDED' && <span className="badge status-suspended">Suspended</span>}
            <div className="muted">
              {[merchant.id, merchant.city, merchant.category ? CATEGORY_WORDS[merchant.category] : undefined].filter(Boolean).join(' · ')}
            </div>
          </div>
          <Link to={withQuery('checkout', { platform: platformId ?? merchant.storefronts?.[0]?.platform.id, merchant: merchant.id })} className="button button-secondary">
            Check out here
          </Link>
        </li>
      ))}
    </ul>
  );
}
