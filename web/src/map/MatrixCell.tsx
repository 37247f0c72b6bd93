import type { Acceptance } from './matrix';
import { STATUS_LABELS, statusClass } from './status';
import type { TooltipAnchor } from './CellTooltip';

interface Props {
  /** "Taobao × WeChat Pay" */
  label: string;
  rule: Acceptance | undefined;
  chosen: boolean;
  onShow(anchor: TooltipAnchor): void;
  onHide(): void;
  onChoose(): void;
}

/** One platform's rule for one tool: its status in colour and words, and the date it began. */
export function MatrixCell({ label, rule, chosen, onShow, onHide, onChoose }: Props) {
  const show = (element: HTMLElement) => onShow({ rect: element.getBoundingClientRect() });
  const status = rule ? STATUS_LABELS[rule.status] : 'No rule';
  return (
    <td className={`matrix-cell ${statusClass(rule?.status)}`} data-cell={label}>
      <button
        type="button"
        aria-label={`${label}: ${status}${rule?.since ? ` since ${rule.since}` : ''}`}
        aria-pressed={chosen}
        onMouseEnter={(event) => show(event.currentTarget)}
        onMouseLeave={onHide}
        onFocus={(event) => show(event.currentTarget)}
        onBlur={onHide}
        onClick={onChoose}
      >
        <span className="cell-status">{rule ? status : '–'}</span>
        {rule?.since && <span className="cell-date">{rule.since}</span>}
      </button>
    </td>
  );
}
