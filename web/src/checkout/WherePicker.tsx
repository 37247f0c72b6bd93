// Platform first, then a merchant that sells there. A merchant named in the
// URL (from the merchant search) stays chosen even when it is not among the
// first merchants listed.
import { useCatalog } from '../catalog';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import { nameOf } from '../map/matrix';
import { Link, withQuery } from '../router';

const MERCHANT_CHOICES = 30;

const MerchantChoices = graphql(`
  query MerchantChoices($platformId: ID!, $first: Int!) {
    merchants(platformId: $platformId, first: $first) {
      edges {
        node {
          id
          name
          city
        }
      }
    }
  }
`);

interface Props {
  platformId: string | undefined;
  merchantId: string | undefined;
  onChange(next: { platformId: string | undefined; merchantId: string | undefined }): void;
}

export function WherePicker({ platformId, merchantId, onChange }: Props) {
  const catalog = useCatalog().state;
  const choices = useQuery(MerchantChoices, { platformId: platformId ?? '', first: MERCHANT_CHOICES }, { skip: !platformId }).state;
  const merchants = platformId ? (choices.data?.merchants?.edges.map((edge) => edge.node) ?? []) : [];
  const listed = merchants.some((merchant) => merchant.id === merchantId);
  return (
    <div className="field-row">
      <label>
        Platform
        <select
          value={platformId ?? ''}
          disabled={catalog.status !== 'ready'}
          onChange={(event) => onChange({ platformId: event.target.value || undefined, merchantId })}
        >
          <option value="">{catalog.status === 'error' ? 'Platforms could not be loaded' : 'Choose a platform…'}</option>
          {(catalog.data?.platforms ?? []).map((platform) => (
            <option key={platform.id} value={platform.id}>
              {nameOf(platform)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Merchant
        <select
          value={merchantId ?? ''}
          disabled={!platformId || choices.status === 'loading'}
          onChange={(event) => onChange({ platformId, merchantId: event.target.value || undefined })}
        >
          <option value="">
            {!platformId ? 'Choose a platform first' : choices.status === 'loading' ? 'Loading merchants…' : 'Choose a merchant…'}
          </option>
          {merchantId && !listed && <option value={merchantId}>{merchantId}</option>}
          {merchants.map((merchant) => (
            <option key={merchant.id} value={merchant.id}>
              {merchant.name ?? merchant.id}
              {merchant.city ? ` (${merchant.city})` : ''}
            </option>
          ))}
        </select>
        <Link to={withQuery('merchants', { platform: platformId })} className="field-link">
          Find another merchant
        </Link>
      </label>
    </div>
  );
}
