// Masks every error that was not made for the client: the client gets a code
// and a safe message, the log gets the whole error.
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode, isClientSafe } from './errors';
import type { Logger } from './logger';

export function maskingFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (isClientSafe(formatted.extensions?.code)) {
      // Stack traces never leave the process, whatever NODE_ENV says.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
