import type { Channel } from '../gql/graphql';
import { parseYuan } from '../ui/money';
import { CHANNELS } from './words';

interface Props {
  amountText: string;
  onAmountText(text: string): void;
  channel: Channel;
  onChannel(channel: Channel): void;
}

export function AmountAndChannel({ amountText, onAmountText, channel, onChannel }: Props) {
  const invalid = parseYuan(amountText) === undefined;
  return (
    <div className="field-row">
      <label>
        Amount (¥)
        <input
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={amountText}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'amount-help' : undefined}
          onChange={(event) => onAmountText(event.target.value)}
        />
        {invalid && (
          <span id="amount-help" className="field-error">
            An amount in yuan, like 199.00
          </span>
        )}
      </label>
      <label>
        The buyer is on
        <select value={channel} onChange={(event) => onChannel(event.target.value as Channel)}>
          {CHANNELS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
