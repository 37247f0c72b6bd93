// Jest's Node environment, with the worker's PGlite pool (packages/testing/src/worker-pglites)
// handed to every test file. Jest loads this module once per worker, so the
// pool, unlike anything a test file imports, outlives each file. Once the
// file's hooks are done, it releases the file's context manager (context-release).
import { TestEnvironment } from 'jest-environment-node';
import { WORKER_PGLITES, workerPglites } from '../worker-pglites';
import { RELEASE_CONTEXT } from './release-context-symbol';

export default class InteropTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    (this.global as Record<symbol, unknown>)[WORKER_PGLITES] = workerPglites;
  }

  override async teardown(): Promise<void> {
    const release = (this.global as Record<symbol, unknown>)[RELEASE_CONTEXT];
    if (typeof release === 'function') release();
    await super.teardown();
  }
}
