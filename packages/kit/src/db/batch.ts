// Helpers for DataLoader batch functions, which must answer one value per key,
// in key order.

/** Groups rows by a key, keeping their order within each group. */
export function groupBy<T>(rows: Iterable<T>, keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** Each key's rows, in the order of `keys`; an empty list for a key without rows. */
export function rowsPerKey<T>(keys: readonly string[], rows: Iterable<T>, keyOf: (row: T) => string): T[][] {
  const groups = groupBy(rows, keyOf);
  return keys.map((key) => groups.get(key) ?? []);
}
