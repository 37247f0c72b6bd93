import { LEGEND_ORDER, STATUS_LABELS, STATUS_MEANINGS, statusClass } from './status';

export function Legend() {
  return (
    <ul className="legend" aria-label="What the colours mean">
      {LEGEND_ORDER.map((status) => (
        <li key={status} title={STATUS_MEANINGS[status]}>
          <span className={`swatch ${statusClass(status)}`} aria-hidden="true" />
          {STATUS_LABELS[status]}
        </li>
      ))}
      <li title="the platform has no rule for the tool">
        <span className={`swatch ${statusClass(undefined)}`} aria-hidden="true" />
        None
      </li>
    </ul>
  );
}
