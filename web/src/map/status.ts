// How each acceptance status reads and looks, in the order a buyer can use it.
import type { AcceptanceStatus } from '../gql/graphql';

export const STATUS_LABELS: Readonly<Record<AcceptanceStatus, string>> = {
  LIVE: 'Live',
  ROLLING_OUT: 'Rolling out',
  PILOT: 'Pilot',
  ANNOUNCED: 'Announced',
  SUSPENDED: 'Suspended',
};

export const STATUS_MEANINGS: Readonly<Record<AcceptanceStatus, string>> = {
  LIVE: 'buyers can pay with it',
  ROLLING_OUT: 'opening in batches; merchants reached by the rollout take it',
  PILOT: 'some buyers or products only',
  ANNOUNCED: 'announced, not yet payable',
  SUSPENDED: 'was accepted, now switched off',
};

export const LEGEND_ORDER: readonly AcceptanceStatus[] = ['LIVE', 'ROLLING_OUT', 'PILOT', 'ANNOUNCED', 'SUSPENDED'];

/** The CSS class that colours a status; "none" for a platform without a rule for the tool. */
export function statusClass(status: AcceptanceStatus | undefined): string {
  return `status-${(status ?? 'none').toLowerCase().replace('_', '-')}`;
}
