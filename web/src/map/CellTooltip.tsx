// Floats above the page rather than inside the table, so the table's
// horizontal scrolling does not clip it.
import { useLayoutEffect, useRef, useState } from 'react';
import type { Acceptance } from './matrix';
import { STATUS_LABELS, STATUS_MEANINGS } from './status';

export interface TooltipAnchor {
  rect: DOMRect;
}

interface Props {
  anchor: TooltipAnchor;
  platform: string;
  tool: string;
  rule: Acceptance | undefined;
}

const GAP = 8;

export function CellTooltip({ anchor, platform, tool, rule }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | undefined>();

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const { width, height } = element.getBoundingClientRect();
    const left = Math.min(Math.max(GAP, anchor.rect.left + anchor.rect.width / 2 - width / 2), window.innerWidth - width - GAP);
    const below = anchor.rect.bottom + GAP;
    const top = below + height > window.innerHeight && anchor.rect.top - height - GAP > 0 ? anchor.rect.top - height - GAP : below;
    setPosition({ left, top });
  }, [anchor]);

  const latest = rule?.history.at(-1);
  return (
    <div
      ref={box}
      role="tooltip"
      className="tooltip"
      style={position ? { left: position.left, top: position.top } : { visibility: 'hidden', left: 0, top: 0 }}
    >
      <strong>
        {platform} × {tool}
      </strong>
      {rule ? (
        <>
          <p>
            <span className="tooltip-status">{STATUS_LABELS[rule.status]}</span>
            {rule.since ? ` since ${rule.since}` : ' (undated)'}: {STATUS_MEANINGS[rule.status]}.
            {rule.requiresMerchantOptIn && ' Each merchant opens it itself.'}
          </p>
          {latest && <p>{latest.description}</p>}
          <p className="tooltip-source">Source: {rule.source}</p>
        </>
      ) : (
        <p>No rule in the graph: buyers on {platform} cannot pay with {tool}.</p>
      )}
    </div>
  );
}
