// The public error codes are stated once, in error-codes.yaml: the supergraph's
// enum, each package's constants and the error masks follow it, and every code
// the code base raises is one of them, raised by whom the file says.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode, type GraphQLFormattedError } from 'graphql';
import pino from 'pino';
import { APOLLO_SERVER_ERROR_CODES, ErrorCode, isClientSafe } from '@interop/kit';
import { maskingFormatError } from '@interop/kit/server';
import { ERROR_CODES } from '@interop/sdk';
import { GatewayErrorCode } from '../../gateway/src/__generated__/error-codes';
import { INTERNAL, parseErrorCodes, readErrorCodes, type Raiser } from '../../scripts/error-codes';
import { ROOT } from '@interop/testing/harness';

const source = readErrorCodes();
const codesBy = (raiser: Raiser) => source.codes.filter((entry) => entry.raisedBy.includes(raiser)).map((entry) => entry.code);
const sorted = (values: Iterable<string>) => [...values].sort();

describe('error-codes.yaml', () => {
  const entry = (body: string) => `description: The codes.\ncodes:\n${body}  ${INTERNAL}:\n    raisedBy: [gateway]\n    description: Anything unexpected.\n`;

  test('a well-formed file gives its codes in order', () => {
    const parsed = parseErrorCodes(entry('  RATE_LIMITED:\n    raisedBy: [gateway]\n    description: >-\n      Too many\n      requests.\n'));
    expect(parsed.codes).toEqual([
      { code: 'RATE_LIMITED', raisedBy: ['gateway'], description: 'Too many requests.' },
      { code: INTERNAL, raisedBy: ['gateway'], description: 'Anything unexpected.' },
    ]);
  });

  test.each([
    ['no raiser', '  RATE_LIMITED:\n    description: Too many.\n'],
    ['an unknown raiser', '  RATE_LIMITED:\n    raisedBy: [wallet]\n    description: Too many.\n'],
    ['a raiser twice', '  RATE_LIMITED:\n    raisedBy: [gateway, gateway]\n    description: Too many.\n'],
    ['no description', '  RATE_LIMITED:\n    raisedBy: [gateway]\n'],
    ['a blank description', '  RATE_LIMITED:\n    raisedBy: [gateway]\n    description: " "\n'],
    ['a code that is not UPPER_SNAKE_CASE', '  rateLimited:\n    raisedBy: [gateway]\n    description: Too many.\n'],
    ['the same code twice', '  RATE_LIMITED:\n    raisedBy: [gateway]\n    description: Too many.\n  RATE_LIMITED:\n    raisedBy: [gateway]\n    description: Again.\n'],
  ])('a code with %s is an error, not skipped', (_case, body) => {
    expect(() => parseErrorCodes(entry(body))).toThrow();
  });

  test('a file without INTERNAL_SERVER_ERROR is an error: every mask answers with it', () => {
    expect(() => parseErrorCodes('description: The codes.\ncodes:\n  RATE_LIMITED:\n    raisedBy: [gateway]\n    description: Too many.\n')).toThrow();
  });
});

describe('what is made from it', () => {
  test('the supergraph states enum ErrorCode once, from every subgraph, with the source\'s codes, order and descriptions', () => {
    const supergraph = parse(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
    const enums = supergraph.definitions.filter(
      (definition): definition is EnumTypeDefinitionNode => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'ErrorCode',
    );
    expect(enums).toHaveLength(1);
    const graphs = (enums[0]!.directives ?? []).filter((directive) => directive.name.value === 'join__type');
    expect(graphs).toHaveLength(3);
    expect((enums[0]!.values ?? []).map((value) => [value.name.value, value.description?.value.trim()])).toEqual(
      source.codes.map((entry) => [entry.code, entry.description]),
    );
  });

  test('the SDK lists every code in the source\'s order; kit and the gateway hold the codes of their raisers', () => {
    expect([...ERROR_CODES]).toEqual(source.codes.map((entry) => entry.code));
    expect(sorted(Object.values(ErrorCode))).toEqual(sorted(codesBy('subgraphs')));
    expect(sorted(Object.values(GatewayErrorCode))).toEqual(sorted(codesBy('gateway')));
    expect(sorted(APOLLO_SERVER_ERROR_CODES)).toEqual(sorted(codesBy('apollo-server')));
  });

  test('the error mask of the gateway and the subgraphs shows every public code as it is, except INTERNAL_SERVER_ERROR', () => {
    const mask = maskingFormatError(pino({ level: 'silent' }));
    const shown = (code: string) => mask({ message: 'Refused.', extensions: { code } } satisfies GraphQLFormattedError, new Error('Refused.')).extensions?.['code'];
    const passed = source.codes.map((entry) => entry.code).filter((code) => shown(code) === code && isClientSafe(code));
    expect(passed).toEqual(source.codes.map((entry) => entry.code).filter((code) => code !== INTERNAL));
    expect(shown('SOMETHING_ELSE')).toBe(INTERNAL);
  });
});

describe('the codes the code base raises', () => {
  /** The product's TypeScript sources under `dir`, without tests and generated files. */
  function sources(dir: string): { path: string; text: string }[] {
    return (readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }) as string[])
      .filter((path) => path.endsWith('.ts') && !/(^|\/)(__tests__|__generated__|node_modules|dist)\//.test(path))
      .map((path) => ({ path: relative(ROOT, join(ROOT, dir, path)), text: readFileSync(join(ROOT, dir, path), 'utf8') }));
  }
  const gateway = sources('gateway/src');
  const subgraphs = ['packages/kit/src', 'subgraphs/commerce/src', 'subgraphs/payments/src', 'subgraphs/merchants/src'].flatMap(sources);

  /** The codes `files` raise through a constant (`ErrorCode.X` or `GatewayErrorCode.X`, per `constant`). */
  const constantsUsed = (files: { text: string }[], constant: string) =>
    new Set(files.flatMap(({ text }) => [...text.matchAll(new RegExp(`(?<![\\w.])${constant}\\.([A-Z][A-Z0-9_]*)`, 'g'))].map((match) => match[1]!)));

  /** Codes written as string literals where an error is made: an `extensions` object, `sendError`, a `refusal` helper. */
  const literalCodes = (files: { path: string; text: string }[]) =>
    files.flatMap(({ path, text }) =>
      [...text.matchAll(/extensions: \{[^}]*?\bcode: '([A-Z][A-Z0-9_]*)'|sendError\([^,]+, \d+, '([A-Z][A-Z0-9_]*)'|refusal\('([A-Z][A-Z0-9_]*)'/g)].map((match) => ({
        path,
        code: match[1] ?? match[2] ?? match[3]!,
      })),
    );

  /** Internal codes that never reach a client as they are: the masks answer INTERNAL_SERVER_ERROR for them. */
  const MASKED = ['INVALID_SUBGRAPH_RESPONSE'];

  test('a code written as a literal is a public code, or one the masks hide', () => {
    const literals = literalCodes([...gateway, ...subgraphs]);
    // The scan sees the one literal kept on purpose; a scan that finds nothing proves nothing.
    expect(literals.map(({ code }) => code)).toContain('INVALID_SUBGRAPH_RESPONSE');
    const publicCodes = new Set(source.codes.map((entry) => entry.code));
    expect(literals.filter(({ code }) => !publicCodes.has(code) && !MASKED.includes(code))).toEqual([]);
    expect(MASKED.filter((code) => isClientSafe(code))).toEqual([]);
  });

  test('the gateway raises exactly the codes the source says it raises, through its own constants', () => {
    expect(constantsUsed(gateway, 'ErrorCode')).toEqual(new Set());
    expect(sorted(constantsUsed(gateway, 'GatewayErrorCode'))).toEqual(sorted(codesBy('gateway')));
  });

  test('kit and the subgraphs raise exactly the codes the source says subgraphs raise', () => {
    expect(constantsUsed(subgraphs, 'GatewayErrorCode')).toEqual(new Set());
    expect(sorted(constantsUsed(subgraphs, 'ErrorCode'))).toEqual(sorted(codesBy('subgraphs')));
  });
});
