// The errors table of docs/errors.md, made from error-codes.yaml: one row per
// code, with its description, and whether the partner SDK retries it. Written
// between two markers, so the prose around it stays hand-written.
import { RETRYABLE_CODES, type ErrorCode } from '@interop/sdk';
import type { ErrorCodes } from './error-codes';

export const TABLE_START = '<!-- error-codes: written by `npm run docs` from error-codes.yaml; edit that file, not this table -->';
export const TABLE_END = '<!-- /error-codes -->';

export function errorCodeTable(codes: ErrorCodes): string {
  const rows = codes.codes.map(({ code, description }) => {
    const meaning = cell(description);
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
