/** `text` parsed as JSON, or undefined when it is not JSON: for input that a schema validates next, where both mean "refuse". */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
