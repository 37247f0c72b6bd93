// The story's dated events, read from the rules' histories and the listings:
// the same step on several platforms (WeChat Pay on five Alibaba apps in 2021)
// is one entry naming them all. Undated facts stay out.
import type { AcceptanceStatus } from '../gql/graphql';
import { joinWords } from '../ui/list';
import { nameOf, type MapPlatform, type MapTool } from './matrix';

export type TimelineItem =
  | { kind: 'rule'; status: AcceptanceStatus; tool: string; platforms: string[]; description: string; source: string }
  | { kind: 'listing'; host: string; services: string[]; source: string };

export interface TimelineEntry {
  /** YYYY-MM-DD or YYYY, as the source gives it. */
  date: string;
  items: TimelineItem[];
}

export function storyTimeline(platforms: readonly MapPlatform[], tools: readonly MapTool[]): TimelineEntry[] {
  const toolNames = new Map(tools.map((tool) => [tool.id, nameOf(tool)]));
  const items = new Map<string, { date: string; item: TimelineItem }>();
  for (const platform of platforms) {
    for (const rule of platform.acceptedPaymentTools ?? []) {
      for (const step of rule.history) {
        if (!step.date) continue;
        const key = `${step.date}|rule|${rule.tool.id}|${step.status}|${step.description}`;
        const found = items.get(key);
        if (found?.item.kind === 'rule') found.item.platforms.push(nameOf(platform));
        else {
          const tool = toolNames.get(rule.tool.id) ?? rule.tool.id;
          items.set(key, {
            date: step.date,
            item: { kind: 'rule', status: step.status, tool, platforms: [nameOf(platform)], description: step.description, source: step.source },
          });
        }
      }
    }
    for (const listing of platform.hosts ?? []) {
      if (!listing.since) continue;
      const key = `${listing.since}|listing|${platform.id}`;
      const found = items.get(key);
      if (found?.item.kind === 'listing') found.item.services.push(nameOf(listing.service));
      else items.set(key, { date: listing.since, item: { kind: 'listing', host: nameOf(platform), services: [nameOf(listing.service)], source: listing.source } });
    }
  }
  const entries = new Map<string, TimelineItem[]>();
  // "2024" sorts before "2024-08-19": a year the source gives alone comes before that year's dated events.
  for (const { date, item } of [...items.values()].sort((a, b) => a.date.localeCompare(b.date))) {
    entries.set(date, [...(entries.get(date) ?? []), item]);
  }
  return [...entries].map(([date, dated]) => ({ date, items: dated }));
}

/** One line for an item: "WeChat Pay on Damai, Ele.me, Kaola, Shuqi and Youku". */
export function headline(item: TimelineItem): string {
  return item.kind === 'rule'
    ? `${item.tool} on ${joinWords([...item.platforms].sort())}`
    : `${joinWords([...item.services].sort())} open inside the ${item.host}`;
}
