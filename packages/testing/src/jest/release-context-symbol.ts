/** Where a test file's globals keep the function that releases its context manager (see context-release). */
export const RELEASE_CONTEXT = Symbol.for('interop.test.releaseContext');
