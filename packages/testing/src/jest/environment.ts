// Jest's Node environment, with the worker's PGlite pool (packages/testing/src/worker-pglites)
// handed to every test file. Jest loads this module once per worker, so the
// pool, unlike anything a test file imports, outlives each file. Once the
// file's hooks are done, it releases the file's context manager (context-release)
// and removes the folders the file made (scratch-dir).
// The pool closes when the worker's last file is done.
import { TestEnvironment } from 'jest-environment-node';
import { removeScratchDirs } from '../scratch-dir';
import { closeIdlePglites, WORKER_PGLITES, workerPglites } from '../worker-pglites';
import { RELEASE_CONTEXT } from './release-context-symbol';

// A jest worker stops listening to its parent when told no more files will
// come, and jest kills it if it has not ended half a second later. The pool's
// PGlites would keep it alive, so they close then and the worker ends itself.
process.on('removeListener', (event) => {
  if (event === 'message' && process.channel && process.listenerCount('message') === 0) void closeIdlePglites();
});

export default class InteropTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    (this.global as Record<symbol, unknown>)[WORKER_PGLITES] = workerPglites;
  }

  override async teardown(): Promise<void> {
    const release = (this.global as Record<symbol, unknown>)[RELEASE_CONTEXT];
    if (typeof release === 'function') release();
    removeScratchDirs(this.global);
    await super.teardown();
  }
}
