// A jest filter (`npm test -- --filter=./packages/testing/src/jest/backend-contracts.cjs`) keeping
// the test files that prove behaviour on each backend: CI runs the whole suite
// on the embedded defaults (PGlite, events in process) first and then, with a
// PostgreSQL server and Redis, only these. A file says so with
// `@backend-contract` in its leading docblock: the stores' contract suites,
// migrations, the event buses, the rate limit's shared store, and the tests of
// processes killed mid-payment. Whole-graph tests are not contracts: what they
// add on top of the stores is the same on every engine.
const { readFileSync } = require('node:fs');
const { extract, parse } = require('jest-docblock');

const MARK = 'backend-contract';

/** @param {string} path */
const backendContract = (path) => MARK in parse(extract(readFileSync(path, 'utf8')));

/** @param {string[]} testPaths */
module.exports = async (testPaths) => ({ filtered: testPaths.filter(backendContract) });
