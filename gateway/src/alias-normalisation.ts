// Operations that differ only in aliases are parsed, validated, planned,
// cached and answered as one: before Apollo Server sees a request, every alias
// that does not tell two fields apart is cut out of its text, and the answer
// gets the client's names back (keys, error paths and error locations) just
// before it is sent. So a client that names its fields differently on every
// request (or many clients naming them differently) costs one parse, one
// validation and one query plan, and shares one cached answer.
//
// The text is read with GraphQL's lexer, not parsed: it is cheaper than the
// parse it saves. Only documents with one operation and no fragments are
// rewritten (with fragments, which fields share a response key depends on
// types); anything else, a syntax error included, goes on as sent. So is a
// document nested deeper than MAX_NESTING: cutting recurses once per level.
//
// Cutting an alias never changes whether the operation is valid: an alias is
// cut only where its field's name is the only one of that name in the
// selection set, no other field answers under that name, and no other field
// answers under the alias either. The response keys that validation compares
// stay distinct exactly where they were.
import type { ApolloServerPlugin } from '@apollo/server';
import { Lexer, Source, TokenKind, type GraphQLFormattedError, type Token } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './context';

/** Response keys to rename, by the key in the answer to the rewritten operation, level by level. */
export type Renames = Map<string, { alias: string | undefined; fields: Renames | undefined }>;

/** A stretch of the client's text left out: an alias, its colon and what follows up to the field's name. */
interface Cut {
  start: number;
  end: number;
}

export interface NormalisedSource {
  /** The client's text less the cut aliases. */
  source: string;
  renames: Renames;
  /** Maps positions in `source` back to the client's text. */
  original: string;
  cuts: readonly Cut[];
}

/** Far deeper than the gateway's limits admit (see document-limits); only a guard for this module on its own. */
const MAX_NESTING = 100;

interface Field {
  alias: Token | undefined;
  name: Token;
  selections: Field[] | undefined;
}

/** The text without the aliases it does not need, or null when there is nothing to cut or it is not rewritten. */
export function normaliseSource(original: string): NormalisedSource | null {
  if (!original.includes(':')) return null;
  let normalised = normalisedTexts.get(original);
  if (normalised === undefined) {
    normalised = readNormalised(original) ?? false;
    normalisedTexts.set(original, normalised);
  }
  return normalised || null;
}

/** Characters of text whose normalisation is remembered (false: nothing to cut), so a repeated operation is read once. */
const NORMALISED_TEXT_CHARACTERS = 4 * 1024 * 1024;
const normalisedTexts = new LRUCache<string, NormalisedSource | false>({
  maxSize: NORMALISED_TEXT_CHARACTERS,
  sizeCalculation: (normalised, text) => text.length + (normalised ? normalised.source.length : 0) + 1,
});

function readNormalised(original: string): NormalisedSource | null {
  let operations: Field[][];
  try {
    const read = readSelections(original);
    if (!read) return null;
    operations = read;
  } catch {
    // A syntax error: Apollo Server reports it on the client's own text.
    return null;
  }
  if (operations.length !== 1) return null;
  const cuts: Cut[] = [];
  const renames = strip(operations[0]!, cuts);
  if (!renames) return null;
  cuts.sort((a, b) => a.start - b.start);
  let source = '';
  let at = 0;
  for (const cut of cuts) {
    source += original.slice(at, cut.start);
    at = cut.end;
  }
  return { source: source + original.slice(at), renames, original, cuts };
}

/** The fields of each operation's selection set, as the lexer reads them; null for a document with fragments. */
function readSelections(text: string): Field[][] | null {
  const lexer = new Lexer(new Source(text));
  const operations: Field[][] = [];
  const open: Field[][] = [];
  let parens = 0;
  let previous: Token | undefined;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; previous = token, token = lexer.advance()) {
    switch (token.kind) {
      case TokenKind.SPREAD:
        return null;
      case TokenKind.PAREN_L:
        parens += 1;
        break;
      case TokenKind.PAREN_R:
        parens -= 1;
        break;
      case TokenKind.BRACE_L:
        // Braces inside parentheses are input objects, not selection sets.
        if (parens > 0) break;
        if (open.length === 0) {
          open.push([]);
          operations.push(open[0]!);
        } else {
          const owner = open.at(-1)!.at(-1);
          if (!owner || owner.selections || open.length >= MAX_NESTING) return null;
          owner.selections = [];
          open.push(owner.selections);
        }
        break;
      case TokenKind.BRACE_R:
        if (parens === 0) open.pop();
        break;
      case TokenKind.NAME: {
        if (parens > 0) break;
        if (open.length === 0) {
          if (token.value === 'fragment') return null;
          break;
        }
        // A directive's name, not a field's.
        if (previous?.kind === TokenKind.AT) break;
        if (lexer.lookahead().kind === TokenKind.COLON) {
          lexer.advance();
          const name = lexer.advance();
          if (name.kind !== TokenKind.NAME) return null;
          open.at(-1)!.push({ alias: token, name, selections: undefined });
          token = name;
        } else {
          open.at(-1)!.push({ alias: undefined, name: token, selections: undefined });
        }
        break;
      }
      default:
        break;
    }
  }
  // Unbalanced: a syntax error for Apollo Server to report.
  return open.length === 0 && parens === 0 ? operations : null;
}

function strip(fields: readonly Field[], cuts: Cut[]): Renames | null {
  const names = new Map<string, number>();
  const keys = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const field of fields) {
    count(names, field.name.value);
    count(keys, field.alias?.value ?? field.name.value);
  }
  const renames: Renames = new Map();
  for (const field of fields) {
    const alias = field.alias?.value;
    const name = field.name.value;
    const cut = alias !== undefined && alias !== name && names.get(name) === 1 && !keys.has(name) && keys.get(alias) === 1;
    const children = field.selections ? strip(field.selections, cuts) : null;
    if (cut) cuts.push({ start: field.alias!.start, end: field.name.start });
    if (cut || children) renames.set(cut ? name : (alias ?? name), { alias: cut ? alias : undefined, fields: children ?? undefined });
  }
  return renames.size ? renames : null;
}

/** The answer with the client's response keys, as it asked for them. */
export function restoreAliases(value: unknown, renames: Renames | undefined): unknown {
  if (!renames || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => restoreAliases(item, renames));
  const restored: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const rename = renames.get(key);
    restored[rename?.alias ?? key] = rename ? restoreAliases(item, rename.fields) : item;
  }
  return restored;
}

function restorePath(path: readonly (string | number)[], renames: Renames): (string | number)[] {
  let level: Renames | undefined = renames;
  return path.map((segment) => {
    if (typeof segment === 'number' || !level) return segment;
    const rename = level.get(segment);
    level = rename?.fields;
    return rename?.alias ?? segment;
  });
}

/** A line and column in the rewritten text, as the same place in the client's. */
function restoreLocation(normalised: NormalisedSource, line: number, column: number): { line: number; column: number } {
  let offset = 0;
  for (let row = 1; row < line; row += 1) offset = normalised.source.indexOf('\n', offset) + 1;
  offset += column - 1;
  for (const cut of normalised.cuts) {
    if (cut.start > offset) break;
    offset += cut.end - cut.start;
  }
  const before = normalised.original.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function restoreError(error: GraphQLFormattedError, normalised: NormalisedSource): GraphQLFormattedError {
  return {
    ...error,
    ...(error.path ? { path: restorePath(error.path, normalised.renames) } : {}),
    ...(error.locations ? { locations: error.locations.map(({ line, column }) => restoreLocation(normalised, line, column)) } : {}),
  };
}

/**
 * Rewrites a parsed JSON request body's query, when there is something to cut;
 * what is needed to answer in the client's names is returned with it.
 */
export function normaliseBody(body: unknown): { body: unknown; normalised: NormalisedSource } | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const query = (body as { query?: unknown }).query;
  if (typeof query !== 'string') return null;
  const normalised = normaliseSource(query);
  return normalised ? { body: { ...body, query: normalised.source }, normalised } : null;
}

/** Gives an answer to a rewritten operation the client's names back, in place: its data's keys and its errors' paths and locations. */
export function restoreAnswer(result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }, normalised: NormalisedSource): void {
  if (result.data) result.data = restoreAliases(result.data, normalised.renames) as Record<string, unknown>;
  if (result.errors) result.errors = result.errors.map((error) => restoreError(error, normalised));
}

/**
 * Gives each answer to a rewritten request the client's names back. It comes
 * after the response cache among the plugins: Apollo Server starts every
 * plugin's willSendResponse in plugin order, and the cache serialises the
 * answer before its first await, so it stores the answer to the rewritten
 * operation, shared by every spelling of it.
 */
export function aliasRestoringPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(request) {
          const normalised = request.contextValue.aliases;
          if (normalised && request.response.body.kind === 'single') restoreAnswer(request.response.body.singleResult, normalised);
        },
      };
    },
  };
}
