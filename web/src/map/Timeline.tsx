import { STATUS_LABELS, statusClass } from './status';
import { headline, type TimelineEntry } from './timeline-events';

export function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <p>The graph has no dated events yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.date} data-date={entry.date}>
          <time className="timeline-date" dateTime={entry.date}>
            {entry.date}
          </time>
          <ul>
            {entry.items.map((item, index) => (
              <li key={index} title={`Source: ${item.source}`}>
                {item.kind === 'rule' ? (
                  <span className={`badge ${statusClass(item.status)}`}>{STATUS_LABELS[item.status]}</span>
                ) : (
                  <span className="badge status-listing">Listed</span>
                )}{' '}
                <strong>{headline(item)}</strong>
                {item.kind === 'rule' && <span className="timeline-note">{item.description}</span>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
