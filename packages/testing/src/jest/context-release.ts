// Jest runs this in every test file. kit registers OpenTelemetry's context
// manager in the globals of each file that loads it, and the manager's
// AsyncLocalStorage joins a list Node keeps for the whole process, which every
// new promise walks: left there, a worker's promises would cost more with each
// file it has run. The environment releases it once the file's own hooks are
// done (packages/testing/src/jest/environment.ts).
import { context } from '@opentelemetry/api';
import { RELEASE_CONTEXT } from './release-context-symbol';

(globalThis as Record<symbol, unknown>)[RELEASE_CONTEXT] = () => context.disable();
