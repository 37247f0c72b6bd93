// Checks the shape of payment inputs before anything is looked up, and
// fingerprints them for idempotency: the same key must come with the same input.
import { createHash } from 'node:crypto';
import { AppError, badUserInput, ErrorCode } from '@interop/kit';
import stableStringify from 'safe-stable-stringify';

const KEY_MAX = 255;

export function checkIdempotencyKey(key: string, argument = 'idempotencyKey'): void {
  if (key.length === 0 || key.length > KEY_MAX) throw badUserInput(argument, `idempotencyKey must be 1-${KEY_MAX} characters.`);
}

export function checkText(value: string, argument: string, max: number): void {
  if (value.trim().length === 0 || value.length > max) throw badUserInput(argument, `${argument} must be 1-${max} characters.`);
}

/** Payments are taken in CNY only, in positive minor units. */
export function checkAmount(amount: { amountMinor: number; currency: string }, argument: string): void {
  if (amount.currency !== 'CNY') {
    throw new AppError(ErrorCode.INVALID_AMOUNT, 'Payments are taken in CNY only.', { argument: `${argument}.currency` });
  }
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
    throw new AppError(ErrorCode.INVALID_AMOUNT, 'amountMinor must be a positive integer (fen).', { argument: `${argument}.amountMinor` });
  }
}

/** A stable fingerprint of an input: keys sorted, so field order does not matter. */
export function fingerprint(input: unknown): string {
  return createHash('sha256').update(stableStringify(input) ?? '').digest('hex');
}

export function keyReused(): AppError {
  return new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used with different input.', {
    argument: 'idempotencyKey',
  });
}
