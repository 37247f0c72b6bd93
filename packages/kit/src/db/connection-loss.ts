// Telling a lost database connection from a failed statement. A request whose
// connection died (the server was restarted, an operator terminated the
// backend, the network dropped) gets DEPENDENCY_UNAVAILABLE, a code clients
// may retry on; a statement that failed on a live connection stays an internal
// error (logged, masked), since retrying it would fail the same way.
import { dependencyUnavailable } from '../errors';

/**
 * SQLSTATEs that mean the connection, not the statement, failed: class 08
 * (connection exception), 57P01-57P03 (the server shut down or is starting)
 * and 53300 (no connection slot left).
 */
const CONNECTION_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** Socket errors from Node when the server cannot be reached or hangs up. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** What `pg` says, without a code, when a connection ended under a query or a pool could not hand one out. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /timeout exceeded when trying to connect/,
  /^Query read timeout$/,
];

export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || SOCKET_CODES.has(code))) return true;
  return PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** The error a caller sees: DEPENDENCY_UNAVAILABLE for a lost connection (the cause kept for the log), else the error itself. */
export function asDatabaseError(error: unknown): unknown {
  return isConnectionLoss(error) ? dependencyUnavailable('database', error) : error;
}
