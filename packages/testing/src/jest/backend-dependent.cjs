// A jest filter (`npm test -- --filter=./packages/testing/src/jest/backend-dependent.cjs`) keeping
// the test files whose outcome can depend on DATABASE_URL or REDIS_URL. CI
// runs the whole suite on the embedded defaults first and then, with a
// PostgreSQL server and Redis, only these: a file whose leading docblock says
// `@backend-independent` (it starts its own PGlite or none, and gives its
// processes neither variable) would run the same work twice. A file without
// the mark runs in both passes, so forgetting it costs time, never coverage.
const { readFileSync } = require('node:fs');
const { extract, parse } = require('jest-docblock');

const MARK = 'backend-independent';

/** @param {string} path */
const backendIndependent = (path) => MARK in parse(extract(readFileSync(path, 'utf8')));

/** @param {string[]} testPaths */
module.exports = async (testPaths) => ({ filtered: testPaths.filter((path) => !backendIndependent(path)) });
