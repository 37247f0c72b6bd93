import { useEffect, useRef } from 'react';
import type { Acceptance } from './matrix';
import { STATUS_LABELS, statusClass } from './status';

interface Props {
  platform: string;
  tool: string;
  rule: Acceptance | undefined;
  onClose(): void;
}

/**
 * The chosen cell's whole history, each step with its date and source. It
 * opens below the matrix, which on a phone is off the screen: each choice
 * brings it into view.
 */
export function CellDetails({ platform, tool, rule, onClose }: Props) {
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    box.current?.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  }, [platform, tool]);
  return (
    <section ref={box} className="card cell-details" aria-live="polite" aria-label={`${platform} × ${tool}`}>
      <header className="card-header">
        <h3>
          {platform} × {tool}
        </h3>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Close the details">
          ×
        </button>
      </header>
      {rule ? (
        <>
          <p>
            Checkout position {rule.checkoutRank}
            {rule.requiresMerchantOptIn ? '; each merchant opens it itself' : ''}.
          </p>
          <ol className="history">
            {rule.history.map((step, index) => (
              <li key={index}>
                <span className={`badge ${statusClass(step.status)}`}>{STATUS_LABELS[step.status]}</span>{' '}
                <time>{step.date ?? 'undated'}</time>: {step.description}
                <div className="source">Source: {step.source}</div>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p>
          The graph has no rule for {tool} on {platform}.
        </p>
      )}
    </section>
  );
}
