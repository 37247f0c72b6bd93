import type { CheckoutInContextQuery } from '../gql/graphql';
import { REASON_WORDS } from './words';

type Unavailable = NonNullable<CheckoutInContextQuery['checkout']>['unavailable'][number];

/** Each tool not on offer with its reason: a short label, then the graph's sentence. */
export function UnavailableList({ options }: { options: readonly Unavailable[] }) {
  return (
    <ul className="unavailable-list">
      {options.map((option) => (
        <li key={option.tool.id} data-reason={option.reason}>
          <span className="option-name">{option.tool.name ?? option.tool.id}</span>
          <span className="reason">{REASON_WORDS[option.reason]}</span>
          <span className="muted">{option.detail}</span>
        </li>
      ))}
    </ul>
  );
}
