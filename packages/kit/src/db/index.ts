// `@interop/kit/db`: storage: PostgreSQL or embedded PGlite behind one
// interface, migrations, a service's own schema, and rows grouped per key for
// the loaders.
export { type Database, type DatabaseOptions, openDatabase, type PostgresExtension, type Queryable, type SharedPglite, type SqlParam } from './database';
export { extensionsOf, migrate, type Migration } from './migrate';
export { openOwnedDatabase, type OwnedDatabaseOptions, type StorageOptions } from './open-owned';
export { groupBy, rowsPerKey } from './batch';
export { queryPlannedPerCall } from './plans';
