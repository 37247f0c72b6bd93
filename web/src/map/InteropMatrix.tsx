// The matrix itself: one row per platform, one column per tool. Hovering or
// focusing a cell shows its date and source; choosing it keeps its history
// open below, which is how it reads on a phone.
import { useEffect, useState } from 'react';
import { CellDetails } from './CellDetails';
import { CellTooltip, type TooltipAnchor } from './CellTooltip';
import { Legend } from './Legend';
import { nameOf, type Matrix } from './matrix';
import { MatrixCell } from './MatrixCell';

export interface CellRef {
  platformId: string;
  toolId: string;
}

export function InteropMatrix({ matrix }: { matrix: Matrix }) {
  const [hovered, setHovered] = useState<(CellRef & TooltipAnchor) | undefined>();
  const [chosen, setChosen] = useState<CellRef | undefined>();
  // The tooltip is placed where the cell was; once anything scrolls it would point elsewhere.
  useEffect(() => {
    if (!hovered) return undefined;
    const hide = () => setHovered(undefined);
    window.addEventListener('scroll', hide, { capture: true, passive: true });
    return () => window.removeEventListener('scroll', hide, { capture: true });
  }, [hovered]);
  const platformName = (id: string) => nameOf(matrix.groups.flatMap((group) => group.platforms).find((p) => p.id === id) ?? { id });
  const toolName = (id: string) => nameOf(matrix.tools.find((tool) => tool.id === id) ?? { id });
  const describe = (ref: CellRef) => ({
    platform: platformName(ref.platformId),
    tool: toolName(ref.toolId),
    rule: matrix.cell(ref.platformId, ref.toolId),
  });

  return (
    <>
      <Legend />
      <div className="matrix-scroll" tabIndex={-1}>
        <table className="matrix">
          <caption className="visually-hidden">Payment tools accepted by each platform, with the status of each rule</caption>
          <thead>
            <tr>
              <th scope="col" className="corner">
                Platform
              </th>
              {matrix.tools.map((tool) => (
                <th scope="col" key={tool.id} title={tool.provider ?? undefined}>
                  {nameOf(tool)}
                </th>
              ))}
            </tr>
          </thead>
          {matrix.groups.map((group) => (
            <tbody key={group.operator}>
              <tr className="matrix-group">
                <th scope="rowgroup" colSpan={matrix.tools.length + 1}>
                  <span>{group.operator}</span>
                </th>
              </tr>
              {group.platforms.map((platform) => (
                <tr key={platform.id}>
                  <th scope="row">{nameOf(platform)}</th>
                  {matrix.tools.map((tool) => {
                    const ref = { platformId: platform.id, toolId: tool.id };
                    return (
                      <MatrixCell
                        key={tool.id}
                        label={`${nameOf(platform)} × ${nameOf(tool)}`}
                        rule={matrix.cell(platform.id, tool.id)}
                        chosen={chosen?.platformId === platform.id && chosen.toolId === tool.id}
                        onShow={(anchor) => setHovered({ ...ref, ...anchor })}
                        onHide={() => setHovered(undefined)}
                        onChoose={() => {
                          setHovered(undefined);
                          setChosen(ref);
                        }}
                      />
                    );
                  })}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      {hovered && <CellTooltip anchor={hovered} {...describe(hovered)} />}
      {chosen && <CellDetails {...describe(chosen)} onClose={() => setChosen(undefined)} />}
    </>
  );
}
