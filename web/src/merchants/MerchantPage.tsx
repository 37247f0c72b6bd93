// A merchant's own view: who they are, where they sell, and the payments
// they took, newest first, each refundable while money is left on it, and
// the webhooks the graph sent the demo partner about payments.
import { useCallback, useState } from 'react';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import { nameOf } from '../map/matrix';
import { Link, withQuery } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { usePageTitle } from '../ui/usePageTitle';
import { MerchantPayments } from './MerchantPayments';
import { WebhookDeliveries } from './WebhookDeliveries';

const PAYMENTS_SHOWN = 20;

const MerchantView = graphql(`
  query MerchantView($id: ID!, $payments: Int!) {
    merchant(id: $id) {
      id
      name
      city
      status
      eligible
      storefronts {
        platform {
          id
          name
        }
        enrolledTools {
          id
          name
        }
      }
      payments(first: $payments) {
        edges {
          node {
            id
            status
            reference
            createdAt
            amount {
              amountMinor
              currency
              formatted
            }
            refundedAmount {
              amountMinor
              formatted
            }
            platform {
              id
              name
            }
            tool {
              id
              name
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export function MerchantPage({ id }: { id: string }) {
  const { state, reload } = useQuery(MerchantView, { id, payments: PAYMENTS_SHOWN });
  // A refund sends events: the webhooks panel asks again when one was made here.
  const [refunds, setRefunds] = useState(0);
  const refunded = useCallback(() => {
    reload();
    setRefunds((n) => n + 1);
  }, [reload]);
  const merchant = state.data?.merchant;
  usePageTitle(merchant?.name ?? 'Merchant');
  if (state.status === 'error') return <ErrorNotice title="The merchant could not be loaded" error={state.error} onRetry={reload} />;
  if (!state.data) return <Loading what="the merchant" />;
  if (!merchant) return <p className="hint">The graph has no merchant with id {id}.</p>;
  const payments = merchant.payments?.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="merchant-title">
      <h1 id="merchant-title">{merchant.name ?? merchant.id}</h1>
      <p className="muted">
        {[merchant.id, merchant.city, merchant.status === 'SUSPENDED' ? 'suspended' : undefined, merchant.eligible === false ? 'not eligible to open tools itself' : undefined]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <h2>Storefronts</h2>
      <ul className="storefronts">
        {(merchant.storefronts ?? []).map((storefront) => (
          <li key={storefront.platform.id} className="card">
            <strong>{nameOf(storefront.platform)}</strong>
            <span className="muted">
              {storefront.enrolledTools.length > 0 ? `Opened itself: ${storefront.enrolledTools.map(nameOf).join(', ')}` : 'No tools opened itself'}
            </span>
            <Link to={withQuery('checkout', { platform: storefront.platform.id, merchant: merchant.id })}>Check out here</Link>
          </li>
        ))}
      </ul>
      <h2>Payments</h2>
      <MerchantPayments payments={payments} onRefunded={refunded} />
      {merchant.payments?.pageInfo.hasNextPage && <p className="muted">The {PAYMENTS_SHOWN} newest payments are shown.</p>}
      <h2>Webhooks to the demo partner</h2>
      <WebhookDeliveries merchantPaymentIds={new Set(payments.map((payment) => payment.id))} refresh={refunds} />
    </section>
  );
}
