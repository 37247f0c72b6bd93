// The demo partner's webhook endpoints and what the graph sent to each: every
// delivery with its event, where it stands, and each attempt's answer. The
// demo partner's server is the receiver `npm start` runs; a partner reads
// the same from `webhookEndpoints` and `webhookDeliveries`.
import { useEffect, useRef } from 'react';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import type { WebhookDeliveryStatus, WebhookEventType } from '../gql/graphql';
import { Link } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';

const DELIVERIES_SHOWN = 10;

const DemoWebhookEndpoints = graphql(`
  query DemoWebhookEndpoints {
    webhookEndpoints {
      id
      url
      status
      disabledReason
    }
  }
`);

const DemoWebhookDeliveries = graphql(`
  query DemoWebhookDeliveries($endpointId: ID!, $first: Int!) {
    webhookDeliveries(endpointId: $endpointId, first: $first) {
      edges {
        node {
          id
          status
          nextAttemptAt
          event {
            id
            type
            paymentId
            paymentVersion
            createdAt
          }
          attempts {
            at
            statusCode
            durationMs
            error
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** `PAYMENT_SUCCEEDED` as the receiver sees it: `payment.succeeded`. */
export const wireType = (type: WebhookEventType): string => type.toLowerCase().replace('_', '.');

const DELIVERY_TONE: Record<WebhookDeliveryStatus, { label: string; tone: string }> = {
  PENDING: { label: 'Pending', tone: 'wait' },
  DELIVERED: { label: 'Delivered', tone: 'good' },
  FAILED: { label: 'Failed', tone: 'bad' },
};

/** Calls `reload` whenever `refresh` changes after the first render (which loads anyway). */
function useReloadOn(refresh: number, reload: () => void): void {
  const seen = useRef(refresh);
  useEffect(() => {
    if (seen.current === refresh) return;
    seen.current = refresh;
    reload();
  }, [refresh, reload]);
}

/** `refresh` changes when something may have sent new events (a refund on the page). */
export function WebhookDeliveries({ merchantPaymentIds, refresh }: { merchantPaymentIds: ReadonlySet<string>; refresh: number }) {
  const { state, reload } = useQuery(DemoWebhookEndpoints, {});
  useReloadOn(refresh, reload);
  if (state.status === 'error') return <ErrorNotice title="The webhook endpoints could not be loaded" error={state.error} onRetry={reload} />;
  if (!state.data) return <Loading what="the webhook endpoints" />;
  const endpoints = state.data.webhookEndpoints;
  if (endpoints.length === 0) {
    return (
      <p className="hint">
        The demo partner has no webhook endpoint. <code>npm start</code> registers its own receiver, <code>http://127.0.0.1:4005/webhooks</code>, once the graph is up.
      </p>
    );
  }
  return (
    <>
      {endpoints.map((endpoint) => (
        <div key={endpoint.id} className="card webhook-endpoint" data-endpoint={endpoint.id}>
          <div className="card-header">
            <span>
              <code>{endpoint.url}</code>{' '}
              <span className={`badge tone-${endpoint.status === 'ENABLED' ? 'good' : 'bad'}`} data-endpoint-status={endpoint.status}>
                {endpoint.status === 'ENABLED' ? 'Enabled' : 'Disabled'}
              </span>
            </span>
          </div>
          {endpoint.disabledReason && <p className="muted">{endpoint.disabledReason}</p>}
          <EndpointDeliveries endpointId={endpoint.id} merchantPaymentIds={merchantPaymentIds} refresh={refresh} />
        </div>
      ))}
    </>
  );
}

function EndpointDeliveries({ endpointId, merchantPaymentIds, refresh }: { endpointId: string; merchantPaymentIds: ReadonlySet<string>; refresh: number }) {
  const { state, reload } = useQuery(DemoWebhookDeliveries, { endpointId, first: DELIVERIES_SHOWN });
  useReloadOn(refresh, reload);
  if (state.status === 'error') return <ErrorNotice title="The deliveries could not be loaded" error={state.error} onRetry={reload} />;
  if (!state.data) return <Loading what="the deliveries" />;
  const deliveries = state.data.webhookDeliveries.edges.map((edge) => edge.node);
  return (
    <>
      {deliveries.length === 0 ? (
        <p className="hint">Nothing sent yet: start a payment from the checkout.</p>
      ) : (
        <ul className="delivery-list">
          {deliveries.map((delivery) => (
            <li key={delivery.id} className="delivery-row" data-delivery={delivery.id} data-event-type={wireType(delivery.event.type)} data-delivery-payment={delivery.event.paymentId}>
              <span className="delivery-event">
                <code>{wireType(delivery.event.type)}</code>{' '}
                <Link to={`payments/${encodeURIComponent(delivery.event.paymentId)}`}>{delivery.event.paymentId}</Link>
                {merchantPaymentIds.has(delivery.event.paymentId) && <span className="muted"> · this merchant</span>}
              </span>
              <span className={`badge tone-${DELIVERY_TONE[delivery.status].tone}`} data-delivery-status={delivery.status}>
                {DELIVERY_TONE[delivery.status].label}
              </span>
              <span className="muted delivery-attempts">
                {delivery.attempts.length === 0
                  ? 'not sent yet'
                  : delivery.attempts.map((attempt) => `${attempt.statusCode ?? attempt.error ?? 'no answer'} (${attempt.durationMs} ms)`).join(' → ')}
                {delivery.nextAttemptAt && ` · next try ${new Date(delivery.nextAttemptAt).toLocaleTimeString()}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button-secondary" onClick={reload}>
        Refresh deliveries
      </button>
      {state.data.webhookDeliveries.pageInfo.hasNextPage && <p className="muted">The {DELIVERIES_SHOWN} newest events are shown.</p>}
    </>
  );
}
