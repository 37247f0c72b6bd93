// The errors table of docs/errors.md, made from the schema: one row per value
// of the supergraph's `enum ErrorCode`, with its description, and whether the
// partner SDK retries it. Written between two markers, so the prose around it
// stays hand-written.
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { RETRYABLE_CODES, type ErrorCode } from '@interop/sdk';

export const TABLE_START = '<!-- error-codes: written by `npm run docs` from the ErrorCode enum in supergraph.graphql; edit the schema, not this table -->';
export const TABLE_END = '<!-- /error-codes -->';

export function errorCodeTable(supergraphSdl: string): string {
  const definition = parse(supergraphSdl).definitions.find(
    (node): node is EnumTypeDefinitionNode => node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === 'ErrorCode',
  );
  if (!definition) throw new Error('The supergraph has no enum ErrorCode');
  const rows = (definition.values ?? []).map((value) => {
    const code = value.name.value;
    const meaning = cell(value.description?.value ?? '');
    if (!meaning) throw new Error(`ErrorCode.${code} has no description`);
    const retried = RETRYABLE_CODES.has(code as ErrorCode) ? 'yes' : 'no';
    return `| \`${code}\` | ${meaning} | ${retried} |`;
  });
  return ['| code | meaning | the SDK retries it |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `markdown` with the text between the markers replaced by `table`. */
export function withErrorTable(markdown: string, table: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/errors.md has lost its error-codes markers');
  return `${markdown.slice(0, start + TABLE_START.length)}\n${table}\n${markdown.slice(end)}`;
}

/** One table cell: a description's lines joined, and pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
