// Tests are TypeScript, compiled by SWC (type checking is `npm run typecheck`'s job).
// Dynamic import() stays native, so ESM-only packages (jose) load as they do under tsx.
// jest's workers run with the node flags of package.json's test script, among them a young
// generation of 64 MB semi-spaces (V8's default is 16 MB): each test file loads its own copy of some
// 2,000 modules, garbage that the default let survive into the old generation and its full
// collections (on 2 cores the suite took 206 s and 338 s of CPU, against 261 s and 439 s without).
const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, with the worker's pool of running PGlite databases (packages/testing/src/jest/environment.ts).
  testEnvironment: '<rootDir>/packages/testing/src/jest/environment.ts',
  roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/wallet', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  // jest's runtime, but each worker compiles a module once for all its test files, not once per file.
  runtime: '<rootDir>/packages/testing/src/jest/code-cache-runtime.cjs',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs', ignoreDynamic: true } }],
  },
  // The SDK's package exports its build (see packages/sdk/package.json); tests read its sources, as tsconfig.json's paths do.
  moduleNameMapper: {
    '^@interop/sdk$': '<rootDir>/packages/sdk/src/index.ts',
    '^@interop/sdk/webhooks$': '<rootDir>/packages/sdk/src/webhooks.ts',
  },
  testTimeout: 60_000,
  // In every test file: the processes it started die with it; its context manager is released after it.
  setupFilesAfterEnv: ['<rootDir>/packages/testing/src/jest/kill-process-groups.ts', '<rootDir>/packages/testing/src/jest/context-release.ts'],
  // Composes the test graph's supergraph once per run (packages/testing/src/supergraph-once.ts).
  globalSetup: '<rootDir>/packages/testing/src/jest/global-setup.ts',
  // Removes it, and closes the PGlites packages/testing/src/jest/environment.ts's pool still holds when the files ran in this process.
  globalTeardown: '<rootDir>/packages/testing/src/jest/global-teardown.ts',
  // Each test file opens its own stores and servers. Half as many workers again as cores: about a fifth
  // of a file's time is spent waiting on processes it started and on timers, which one worker per core
  // leaves idle (on 2 cores, 3 workers ran the suite in 306 s where 2 took 345 s). A number, not '150%':
  // jest reads a percentage over 100 as that many workers.
  maxWorkers: Math.max(1, Math.floor(availableParallelism() * 1.5)),
  // A worker ends by itself once its last file is done (the environment closes its PGlites then), but
  // freeing a worker's heap of many files takes it about half a second: jest's default wait (500 ms)
  // killed it and warned of a leak that is not there.
  workerGracefulExitTimeout: 5_000,
};
