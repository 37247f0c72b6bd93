import type { CheckoutInContextQuery } from '../gql/graphql';
import { NEXT_ACTION_WORDS } from './words';

type Option = NonNullable<CheckoutInContextQuery['checkout']>['available'][number];

interface Props {
  options: readonly Option[];
  chosen: string | undefined;
  onChoose(toolId: string): void;
}

/** The tools on offer as radio buttons, in the platform's checkout order. */
export function OptionList({ options, chosen, onChoose }: Props) {
  return (
    <fieldset className="option-list">
      <legend className="visually-hidden">Payment tool</legend>
      {options.map((option) => (
        <label key={option.tool.id} className={option.tool.id === chosen ? 'option option-chosen' : 'option'}>
          <input
            type="radio"
            name="payment-tool"
            value={option.tool.id}
            checked={option.tool.id === chosen}
            onChange={() => onChoose(option.tool.id)}
          />
          <span className="option-rank" aria-label={`Position ${option.rank}`}>
            {option.rank}
          </span>
          <span className="option-body">
            <span className="option-name">
              {option.tool.name ?? option.tool.id}
              {option.isDefault && <span className="badge status-live">Default</span>}
            </span>
            <span className="muted">
              {option.tool.provider}
              {option.nextActionType ? ` · ${NEXT_ACTION_WORDS[option.nextActionType]}` : ''}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
