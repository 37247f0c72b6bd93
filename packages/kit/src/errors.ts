// The error codes clients see in `extensions.code`. They are part of the public
// contract: partner apps branch on them, so a code is never renamed or reused.
// error-codes.yaml states each of them once; `npm run docs` writes from it the
// constants here (the codes subgraphs raise), the gateway's, the schema's
// `enum ErrorCode`, the SDK's list and docs/errors.md.
import { GraphQLError } from 'graphql';
import { APOLLO_SERVER_ERROR_CODES, ErrorCode, PUBLIC_ERROR_CODES, type PublicErrorCode } from './__generated__/error-codes';

export { APOLLO_SERVER_ERROR_CODES, ErrorCode, PUBLIC_ERROR_CODES, type PublicErrorCode };

// INTERNAL_SERVER_ERROR is what Apollo gives every unexpected throw, so it is never safe as it stands.
// Every other public code is, whoever raised it: the gateway passes the subgraphs' codes on as they are.
const clientSafeCodes = new Set<string>(PUBLIC_ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** An error meant for the client: a stable code plus a message safe to show. */
export class AppError extends GraphQLError {
  constructor(code: PublicErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }
}

/** A bad argument; `argument` names it so clients can point at the field. */
export function badUserInput(argument: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, { argument });
}

export function dependencyUnavailable(dependency: string, cause?: unknown): AppError {
  const error = new AppError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `The ${dependency} service did not answer; nothing was changed.`,
    { dependency },
  );
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

/** No credential, where one is needed. */
export function unauthenticated(message = 'This needs a credential: an API key or a bearer token.'): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, message);
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.FORBIDDEN, message, extensions);
}

/** True when the error carries a code the client may see as it is. */
export function isClientSafe(code: unknown): boolean {
  return typeof code === 'string' && clientSafeCodes.has(code);
}
