// A payment or refund is asked for with a key, and a retry of the same ask
// must reuse it, or the graph would take the money twice. The key follows the
// ask: changing what is asked makes a new key, asking again does not.
import { useRef } from 'react';

export function randomKey(prefix: string): string {
  // getRandomValues works on plain http too (a LAN address), unlike randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The same key for as long as `ask` (a description of the request) stays the same. */
export function useIdempotencyKey(prefix: string, ask: string): string {
  // A ref, not useMemo: React may drop memoised values, and a dropped key would charge twice.
  const current = useRef<{ ask: string; key: string } | undefined>(undefined);
  if (current.current?.ask !== ask) current.current = { ask, key: randomKey(prefix) };
  return current.current.key;
}
