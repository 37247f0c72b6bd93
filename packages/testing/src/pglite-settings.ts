// How test databases run PGlite. Imports nothing, so the worker's PGlite pool
// (worker-pglites.ts), which lives outside jest's module sandboxes, can use it.

/**
 * PostgreSQL's `shared_buffers` in every PGlite a test starts, in the worker's
 * pool and in the service processes tests spawn. A test's data is a few
 * hundred rows, and PostgreSQL zeroes the whole page cache when it starts:
 * 16MB rather than the default 128MB saves about 0.5 s of CPU and 90 MB of
 * memory per database.
 */
export const TEST_PGLITE_SHARED_BUFFERS = '16MB';
