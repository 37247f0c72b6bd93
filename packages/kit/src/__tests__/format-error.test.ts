// Error masking: a coded error made for the client passes with its code and
// nothing else added; anything else becomes INTERNAL_SERVER_ERROR, with the
// details in the log only.
import type { BaseContext } from '@apollo/server';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import pino from 'pino';
import { AppError, badUserInput, dependencyUnavailable, ErrorCode } from '../errors';
import { maskingFormatError } from '../format-error';
import type { Logger } from '../logger';
import { createSubgraphApollo } from '../subgraph';

const SECRET = 'password=hunter2 host=10.1.2.3';

/** A logger whose JSON lines land in `lines`. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('maskingFormatError', () => {
  test('an unknown error becomes INTERNAL_SERVER_ERROR without its message, and is logged whole', () => {
    const { logger, lines } = capturingLogger();
    const original = new Error(SECRET);
    const formatted: GraphQLFormattedError = {
      message: SECRET,
      path: ['platform', 'name'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: boom', '    at secret.ts:1'] },
    };
    const masked = maskingFormatError(logger)(formatted, original);
    expect(masked.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
    expect(masked.path).toEqual(['platform', 'name']);
    expect(JSON.stringify(masked)).not.toContain('hunter2');
    expect(JSON.stringify(masked)).not.toContain('secret.ts');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).toContain('hunter2');
  });

  test('an unknown code is not trusted: it is masked too', () => {
    const { logger } = capturingLogger();
    const masked = maskingFormatError(logger)({ message: SECRET, extensions: { code: 'LEAKY_INTERNAL_CODE', detail: SECRET } }, new Error(SECRET));
    expect(masked.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
    expect(masked).not.toHaveProperty('path');
    expect(JSON.stringify(masked)).not.toContain('hunter2');
  });

  test('an error without extensions is masked', () => {
    const { logger } = capturingLogger();
    const masked = maskingFormatError(logger)({ message: SECRET }, new Error(SECRET));
    expect(masked.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
  });

  test.each([ErrorCode.BAD_USER_INPUT, ErrorCode.DEPENDENCY_UNAVAILABLE])('a coded %s passes with its code and extensions, without stacktrace', (code) => {
    const { logger, lines } = capturingLogger();
    const error = new AppError(code, 'safe to show', { argument: 'first' });
    const formatted: GraphQLFormattedError = {
      message: error.message,
      path: ['merchants'],
      extensions: { ...error.extensions, stacktrace: ['AppError: safe to show', '    at merchant-search.ts:1'] },
    };
    const passed = maskingFormatError(logger)(formatted, error);
    expect(passed).toEqual({ message: error.message, path: ['merchants'], extensions: { code, argument: 'first' } });
    expect(lines).toHaveLength(0);
  });

  test("Apollo Server's own request codes pass", () => {
    const { logger } = capturingLogger();
    const formatted = { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(maskingFormatError(logger)(formatted, new GraphQLError(formatted.message)).extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  });
});

describe('createSubgraphApollo masks resolver errors', () => {
  const { logger, lines } = capturingLogger();
  const server = createSubgraphApollo<BaseContext>(
    {
      name: 'errors',
      typeDefs: parse(/* GraphQL */ `
        type Query {
          ok: String
          crash: String
          unavailable: String
          badInput: String
        }
      `),
      resolvers: {
        Query: {
          ok: () => 'fine',
          crash: () => {
            throw new Error(SECRET);
          },
          unavailable: () => {
            throw dependencyUnavailable('commerce', new Error(SECRET));
          },
          badInput: () => {
            throw badUserInput('first', 'first must be between 0 and 100.');
          },
        },
      },
    },
    logger,
  );

  afterAll(async () => {
    await server.stop();
  });

  async function run(query: string) {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  test('an unexpected throw is INTERNAL_SERVER_ERROR, the rest of the answer intact', async () => {
    lines.length = 0;
    const result = await run(/* GraphQL */ `{ ok crash }`);
    expect(result.data).toEqual({ ok: 'fine', crash: null });
    expect(result.errors?.map((error) => ({ path: error.path, extensions: error.extensions }))).toEqual([
      { path: ['crash'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(lines)).toContain('hunter2');
  });

  test('coded errors keep their code and extensions, with no stacktrace and no cause', async () => {
    const result = await run(/* GraphQL */ `{ unavailable badInput }`);
    expect(result.errors?.map((error) => error.extensions)).toEqual([
      { code: 'DEPENDENCY_UNAVAILABLE', dependency: 'commerce' },
      { code: 'BAD_USER_INPUT', argument: 'first' },
    ]);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  test('a query the schema does not allow keeps its validation code', async () => {
    const result = await run(/* GraphQL */ `{ nope }`);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
