// PostgreSQL's `shared_buffers` as a PGlite database takes it, in a module of
// its own: the configuration checks it without loading PGlite.

/** A `shared_buffers` PostgreSQL reads: a whole number of kB, MB or GB. */
export const SHARED_BUFFERS_PATTERN = /^[1-9][0-9]*(kB|MB|GB)$/;
