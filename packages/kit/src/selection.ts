// Reading ahead in a resolver: whether the operation asks for a field further
// down, so that one statement can fetch what a child field would otherwise
// ask for in a second round trip.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * True when the selection below the field being resolved reaches the fields
 * named by `path` (field names, not aliases), through inline fragments and
 * fragment spreads. A conditional selection (@skip, @include) counts as
 * asked for: reading ahead then fetches a little more than needed, never less.
 * Each step visits every selection set at its level once, fragments included,
 * so the walk costs at most the document's size per step of `path`.
 */
export function selectsPath(info: SelectionInfo, path: readonly string[]): boolean {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    const fields = fieldsNamed(sets, name, info.fragments);
    if (fields.length === 0) return false;
    sets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return true;
}

function fieldsNamed(sets: readonly SelectionSetNode[], name: string, fragments: SelectionInfo['fragments']): FieldNode[] {
  const found: FieldNode[] = [];
  const spread = new Set<string>();
  const pending = [...sets];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push(selection.selectionSet);
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return found;
}
