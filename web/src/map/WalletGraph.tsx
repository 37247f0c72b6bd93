// Which wallets interoperate, as a picture: the best-connected tool in the
// middle, the others around it, a line for each pair. The caption says the
// same in words.
import { joinWords } from '../ui/list';
import { nameOf, type MapTool } from './matrix';

const WIDTH = 440;
const HEIGHT = 340;
const RING = 120;
const NODE = 9;

interface Placed {
  tool: MapTool;
  x: number;
  y: number;
}

export function WalletGraph({ tools }: { tools: readonly MapTool[] }) {
  const pairs = interoperatingPairs(tools);
  const degree = (id: string) => pairs.filter((pair) => pair.includes(id)).length;
  const placed = layout(tools, degree);
  const at = new Map(placed.map((node) => [node.tool.id, node]));
  return (
    <figure className="wallet-graph">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="wallet-graph-caption">
        {pairs.map(([a, b]) => {
          const from = at.get(a);
          const to = at.get(b);
          return from && to ? <line key={`${a}-${b}`} x1={from.x} y1={from.y} x2={to.x} y2={to.y} className="edge" /> : null;
        })}
        {placed.map(({ tool, x, y }) => {
          const lonely = degree(tool.id) === 0;
          const anchor = Math.abs(x - WIDTH / 2) < 1 ? 'middle' : x < WIDTH / 2 ? 'end' : 'start';
          const dx = anchor === 'middle' ? 0 : anchor === 'end' ? -NODE - 6 : NODE + 6;
          const dy = anchor === 'middle' ? (y < HEIGHT / 2 ? -NODE - 8 : NODE + 18) : 5;
          return (
            <g key={tool.id} className={lonely ? 'node node-lonely' : 'node'}>
              <circle cx={x} cy={y} r={NODE} />
              <text x={x + dx} y={y + dy} textAnchor={anchor}>
                {nameOf(tool)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="wallet-graph-caption">{caption(tools, pairs)}</figcaption>
    </figure>
  );
}

/** Each interoperating pair once, whichever side lists it. */
function interoperatingPairs(tools: readonly MapTool[]): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const tool of tools) {
    for (const other of tool.interoperatesWith ?? []) {
      const pair: [string, string] = tool.id < other.id ? [tool.id, other.id] : [other.id, tool.id];
      pairs.set(pair.join('|'), pair);
    }
  }
  return [...pairs.values()];
}

function layout(tools: readonly MapTool[], degree: (id: string) => number): Placed[] {
  const [hub, ...ring] = [...tools].sort((a, b) => degree(b.id) - degree(a.id) || a.id.localeCompare(b.id));
  if (!hub) return [];
  const centre = { x: WIDTH / 2, y: HEIGHT / 2 };
  return [
    { tool: hub, ...centre },
    ...ring.map((tool, index) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * index) / ring.length;
      return { tool, x: centre.x + RING * Math.cos(angle), y: centre.y + RING * Math.sin(angle) };
    }),
  ];
}

/** Every pair in words, each once, starting from the best-connected tool. */
function caption(tools: readonly MapTool[], pairs: readonly [string, string][]): string {
  const name = (id: string) => nameOf(tools.find((tool) => tool.id === id) ?? { id });
  const degree = (id: string) => pairs.filter((pair) => pair.includes(id)).length;
  const told = new Set<string>();
  const sentences: string[] = [];
  for (const tool of [...tools].sort((a, b) => degree(b.id) - degree(a.id) || a.id.localeCompare(b.id))) {
    const untold = pairs.filter((pair) => pair.includes(tool.id) && !told.has(pair.join('|')));
    if (untold.length === 0) continue;
    untold.forEach((pair) => told.add(pair.join('|')));
    const partners = untold.map(([a, b]) => name(a === tool.id ? b : a));
    sentences.push(`${nameOf(tool)} interoperates with ${joinWords(partners)}.`);
  }
  const lonely = tools.filter((tool) => degree(tool.id) === 0).map(nameOf);
  if (lonely.length > 0) sentences.push(`The graph lists no interoperability for ${joinWords(lonely)}.`);
  return sentences.join(' ') || 'The graph lists no interoperating wallets.';
}
