// The matrix's shape: platforms grouped by operator as rows, tools as columns
// (the most widely accepted first), and each platform's rule per tool.
import type { InteropMapQuery, OperatorGroup } from '../gql/graphql';

export type MapPlatform = NonNullable<InteropMapQuery['platforms']>[number];
export type MapTool = NonNullable<InteropMapQuery['paymentTools']>[number];
export type Acceptance = NonNullable<MapPlatform['acceptedPaymentTools']>[number];

export interface MatrixRowGroup {
  operator: string;
  platforms: MapPlatform[];
}

export interface Matrix {
  tools: MapTool[];
  groups: MatrixRowGroup[];
  /** The platform's rule for the tool, if it has one. */
  cell(platformId: string, toolId: string): Acceptance | undefined;
}

const GROUP_ORDER: readonly OperatorGroup[] = ['ALIBABA', 'ANT_GROUP', 'MEITUAN', 'JD'];

export function buildMatrix(platforms: readonly MapPlatform[], tools: readonly MapTool[]): Matrix {
  const rules = new Map<string, Acceptance>();
  const takers = new Map<string, number>();
  for (const platform of platforms) {
    for (const rule of platform.acceptedPaymentTools ?? []) {
      rules.set(`${platform.id}|${rule.tool.id}`, rule);
      takers.set(rule.tool.id, (takers.get(rule.tool.id) ?? 0) + 1);
    }
  }
  const byReach = (a: MapTool, b: MapTool) => (takers.get(b.id) ?? 0) - (takers.get(a.id) ?? 0) || nameOf(a).localeCompare(nameOf(b));
  const byRules = (a: MapPlatform, b: MapPlatform) =>
    (b.acceptedPaymentTools?.length ?? 0) - (a.acceptedPaymentTools?.length ?? 0) || nameOf(a).localeCompare(nameOf(b));
  const groups = new Map<string, MatrixRowGroup & { rank: number }>();
  for (const platform of platforms) {
    const operator = platform.operatorGroup ?? 'OTHER';
    const group = groups.get(operator) ?? { operator: groupName(platform), platforms: [], rank: rankOf(platform.operatorGroup) };
    group.platforms.push(platform);
    groups.set(operator, group);
  }
  return {
    tools: [...tools].sort(byReach),
    groups: [...groups.values()].sort((a, b) => a.rank - b.rank).map(({ operator, platforms: rows }) => ({ operator, platforms: rows.sort(byRules) })),
    cell: (platformId, toolId) => rules.get(`${platformId}|${toolId}`),
  };
}

export function nameOf(thing: { id: string; name?: string | null }): string {
  return thing.name ?? thing.id;
}

function rankOf(group: OperatorGroup | null | undefined): number {
  const rank = group ? GROUP_ORDER.indexOf(group) : -1;
  return rank === -1 ? GROUP_ORDER.length : rank;
}

/** "Alibaba Group (Taotian Group)" is one platform's operator; the group heading is the group's own name. */
function groupName(platform: MapPlatform): string {
  switch (platform.operatorGroup) {
    case 'ALIBABA':
      return 'Alibaba Group';
    case 'ANT_GROUP':
      return 'Ant Group';
    case 'MEITUAN':
      return 'Meituan';
    case 'JD':
      return 'JD.com';
    default:
      return platform.operator ?? 'Other';
  }
}
