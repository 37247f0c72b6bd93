// Reads and validates the environment once at start. A wrong setting stops the
// process with one clear line instead of failing later in a request.
import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `source` (the environment by default) with `schema`; throws one readable line on failure. */
export function readConfig<S extends z.ZodType>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/**
 * A secret whose development default is public (it is in this repository):
 * under NODE_ENV=production that default is refused, so a deployment that
 * forgot to set its own does not start rather than trust a known value.
 */
export function ownSecret(name: string, value: string, developmentValue: string, nodeEnv: string | undefined): string {
  if (nodeEnv === 'production' && value === developmentValue) {
    throw new ConfigError(`Invalid configuration: ${name} must be set to a secret of your own when NODE_ENV=production`);
  }
  return value;
}

/** The same rule for a list of secrets (see `secretList`): none may be the development value under NODE_ENV=production. */
export function ownSecrets(name: string, values: readonly string[], developmentValue: string, nodeEnv: string | undefined): readonly string[] {
  if (nodeEnv === 'production' && values.includes(developmentValue)) {
    throw new ConfigError(`Invalid configuration: ${name} must not hold the development value when NODE_ENV=production`);
  }
  return values;
}

/**
 * Comma-separated secrets, each at least `minLength` characters, as a list;
 * blanks around an entry are dropped, and unset or empty is the empty list.
 */
export const secretList = (minLength: number) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((entry) => entry.trim())
            .filter((entry) => entry !== '')
        : (value ?? []),
    z.array(z.string().min(minLength)),
  );

/** An empty variable counts as unset, as shells and .env files often leave them. */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A whole number written in decimal digits; `0x10`, `1e3` and blanks are refused. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback),
  );

/** `true`/`false` (also 1/0, yes/no); anything else is refused rather than read as false. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .transform((value) => value === 'true' || value === '1' || value === 'yes')
      .default(fallback),
  );

/** A TCP port from the environment; 0 asks the OS for a free one. */
export const port = (fallback: number) => wholeNumber(fallback, 0, 65535);

/** Runs a process entry point: a ConfigError or any start-up failure prints one line and exits non-zero. */
export function runMain(main: () => Promise<void>): void {
  // A promise nobody awaited must not take a serving process down with it; it is a bug to log.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${JSON.stringify({ level: 50, msg: 'unhandled rejection', err: String(reason) })}\n`);
  });
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
