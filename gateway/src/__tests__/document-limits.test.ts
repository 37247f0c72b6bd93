import { DEFAULT_OPERATION_LIMITS } from '../operation-limits';
import { documentRefusal } from '../document-limits';

const code = (error: { extensions: Record<string, unknown> } | null) => error?.extensions.code ?? null;

test('a text within one set of limits is remembered for those limits only', () => {
  const text = `{ ${Array.from({ length: 40 }, (_, i) => `f${i}: id`).join(' ')} }`;
  const loose = { ...DEFAULT_OPERATION_LIMITS };
  const strict = { ...DEFAULT_OPERATION_LIMITS, maxTokens: 50 };
  expect(documentRefusal(text, loose)).toBeNull();
  expect(documentRefusal(text, loose)).toBeNull();
  expect(code(documentRefusal(text, strict))).toBe('TOO_MANY_TOKENS');
  expect(code(documentRefusal(text, strict))).toBe('TOO_MANY_TOKENS');
});

test('a refused text is refused again', () => {
  const deep = `{ ${'a { '.repeat(60)}b${' }'.repeat(60)} }`;
  expect(code(documentRefusal(deep, DEFAULT_OPERATION_LIMITS))).toBe('OPERATION_TOO_DEEP');
  expect(code(documentRefusal(deep, DEFAULT_OPERATION_LIMITS))).toBe('OPERATION_TOO_DEEP');
});
