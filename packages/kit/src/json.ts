/** `text` parsed as JSON, or undefined when it is not JSON: for input that a schema validates next, where both mean "refuse". */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object (not an array, not null), as GraphQL over HTTP requires of variables and extensions. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
