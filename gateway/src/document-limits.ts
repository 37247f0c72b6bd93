// Limits read off an operation's text before anything parses it: tokens,
// fragment definitions and how deeply brackets nest (and, in the same way, how
// deeply the request's variables nest). Parsing, validation,
// alias normalisation and the subscription planner all walk a document
// recursively or in proportion to its size; each of them runs only on text
// these bounds admit. The lexer reads the text once, in order, and stops at
// the first limit passed, so a refusal costs at most `maxTokens` tokens; a
// text found within the limits is remembered, and its repeats are not read.
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { LRUCache } from 'lru-cache';
import { parseJsonOrUndefined } from '@interop/kit';
import { GatewayErrorCode } from './__generated__/error-codes';
import type { OperationLimits } from './operation-limits';
import { persistedQueryRefusal } from './persisted-queries';

export type DocumentLimits = Pick<OperationLimits, 'maxDepth' | 'maxTokens' | 'maxFragments'>;

/**
 * How deeply brackets may nest: selection sets, inline fragments and argument
 * values together. A field may sit inside an inline fragment at every level
 * and take a nested input value, so it is well above `maxDepth` itself; the
 * exact depth is checked after parsing.
 */
export const nestingLimit = (limits: Pick<OperationLimits, 'maxDepth'>): number => 2 * limits.maxDepth + 10;

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

function refusal(code: GatewayErrorCode, message: string, extensions: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });
}

/** Characters of text remembered as within each set of limits, so a repeated operation is read once. */
const PASSED_TEXT_CHARACTERS = 4 * 1024 * 1024;
const passedTexts = new WeakMap<DocumentLimits, LRUCache<string, true>>();

/** The error refusing this text, or null when it is within the limits (or does not lex: parsing reports that). */
export function documentRefusal(text: string, limits: DocumentLimits): GraphQLError | null {
  let passed = passedTexts.get(limits);
  if (!passed) passedTexts.set(limits, (passed = new LRUCache({ maxSize: PASSED_TEXT_CHARACTERS, sizeCalculation: (_passed, key) => key.length + 1 })));
  if (passed.has(text)) return null;
  const refused = readRefusal(text, limits);
  // Only texts within the limits are kept: one over them is refused before it costs more than the limits allow.
  if (!refused) passed.set(text, true);
  return refused;
}

function readRefusal(text: string, limits: DocumentLimits): GraphQLError | null {
  const maxNesting = nestingLimit(limits);
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let nesting = 0;
  let fragments = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (tokens > limits.maxTokens) return refusal(GatewayErrorCode.TOO_MANY_TOKENS, 'The operation is too long.', { limit: limits.maxTokens });
      if (OPENING.has(token.kind)) {
        nesting += 1;
        if (nesting > maxNesting) return refusal(GatewayErrorCode.OPERATION_TOO_DEEP, 'The operation is nested too deeply.', { limit: limits.maxDepth });
      } else if (CLOSING.has(token.kind)) {
        nesting -= 1;
      } else if (nesting === 0 && token.kind === TokenKind.NAME && token.value === 'fragment') {
        fragments += 1;
        if (fragments > limits.maxFragments) return refusal(GatewayErrorCode.TOO_MANY_FRAGMENTS, 'The operation defines too many fragments.', { limit: limits.maxFragments });
      }
    }
  } catch {
    // A syntax error, within the limits so far: the parser reports it.
    return null;
  }
  return null;
}

/** True when arrays and objects nest deeper than `limit` in `value`; walked without recursion, stopping there. */
function nestedDeeper(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The error refusing a request's variables (or other JSON beside its query):
 * Apollo Server and its plugins serialise them recursively, so their nesting
 * is bounded as the query's is.
 */
export function variablesRefusal(values: unknown, limits: DocumentLimits): GraphQLError | null {
  return nestedDeeper(values, nestingLimit(limits))
    ? refusal(GatewayErrorCode.OPERATION_TOO_DEEP, "The request's variables are nested too deeply.", { limit: limits.maxDepth })
    : null;
}

/**
 * The same for a GraphQL request's fields (a POST's parsed JSON body, a GET's
 * parameters as `searchRequest` reads them, a WebSocket operation), with a
 * persisted query that cannot run (see persisted-queries).
 */
export function requestRefusal(request: unknown, limits: DocumentLimits): GraphQLError | null {
  const query = (request as { query?: unknown } | null | undefined)?.query;
  return (typeof query === 'string' ? documentRefusal(query, limits) : null) ?? variablesRefusal(request, limits) ?? persistedQueryRefusal(request);
}

/** A GET's parameters as Apollo Server reads them, JSON parsed where it parses it (what does not parse, it refuses itself). */
export function searchRequest(search: string): Record<string, unknown> {
  const params = new URLSearchParams(search);
  const json = (text: string | null): unknown => (text === null ? undefined : parseJsonOrUndefined(text));
  return { query: params.get('query'), variables: json(params.get('variables')), extensions: json(params.get('extensions')) };
}
