// jest's runtime (its `runtime` option), keeping the source and V8's compiled
// code of each module for the next test file of the same worker. jest gives every test file
// a module registry of its own and compiles each module again for it with
// vm.compileFunction, which has no compilation cache: a whole-graph test file
// loads some 2,000 modules (Apollo, graphql, PGlite, the product), and
// compiling them was about a second of CPU per file. Handing V8 the code it
// produced for the first file skips most of that. Only compilation is shared:
// each file still runs every module afresh, in its own context.
//
// The cache is used only for exactly the source it was made from, and V8
// checks it against its own version and flags too (a rejected cache costs a
// compile, nothing else). A module with a dynamic import() is compiled anew
// every time: code from the cache carries the first compile's import()
// callback, not this file's, and Node then finds none ("A dynamic import
// callback was not specified").
//
// jest also reads every module's source file again for each test file (some
// 270,000 reads in a whole run, about 5% of its workers' CPU); the worker
// keeps what it read, checked against the file's size and time of change.
const { statSync } = require('node:fs');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** @type {Map<string, { source: string, data: Buffer }>} One worker's compiled code, by module file. */
const compiled = new Map();

/** Over-matches (a comment or a string that says import() as well): such a module is only compiled as before. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/** Node's own, which jest's compile() calls; replaced by the caching one only for the length of that call. */
const stockCompileFunction = vm.compileFunction;

/**
 * vm.compileFunction with the code kept for this file, if its source is the
 * same, else producing it for the next time.
 * @type {typeof vm.compileFunction}
 */
function cachingCompileFunction(source, params, options = {}) {
  const filename = options.filename;
  if (filename === undefined || DYNAMIC_IMPORT.test(source)) return stockCompileFunction(source, params, options);
  const kept = compiled.get(filename);
  const cachedData = kept && kept.source === source ? kept.data : undefined;
  const fn = stockCompileFunction(source, params, { ...options, ...(cachedData ? { cachedData } : { produceCachedData: true }) });
  if (!cachedData && fn.cachedDataProduced && fn.cachedData) compiled.set(filename, { source, data: fn.cachedData });
  return fn;
}

/**
 * The source files one worker has read, for all its test files: what jest's
 * FileCache keeps per test file (it calls get, set and clear). A file is
 * served from here while its size and time of change are those it had when
 * it was read, so a file edited between runs (jest --watch keeps its
 * workers) is read again.
 */
class WorkerSources {
  /** @type {Map<string, { source: string, size: number, mtimeMs: number }>} */
  static kept = new Map();
  /** @type {Map<string, import('node:fs').Stats>} The file as it was just before jest read it (see get). */
  pending = new Map();

  /** @param {Map<string, string>} ownFiles what jest's runner put in this test file's cache (the test file itself) */
  constructor(ownFiles) {
    this.ownFiles = ownFiles;
  }

  get(filename) {
    const own = this.ownFiles.get(filename);
    if (own !== undefined) return own;
    const stat = statSync(filename, { throwIfNoEntry: false });
    const kept = WorkerSources.kept.get(filename);
    if (kept && stat && kept.size === stat.size && kept.mtimeMs === stat.mtimeMs) return kept.source;
    // jest reads the file next and sets it: it is kept with what this stat saw before the read.
    if (stat) this.pending.set(filename, stat);
    return undefined;
  }

  set(filename, source) {
    const stat = this.pending.get(filename);
    this.pending.delete(filename);
    if (stat) WorkerSources.kept.set(filename, { source, size: stat.size, mtimeMs: stat.mtimeMs });
    else this.ownFiles.set(filename, source);
    return this;
  }

  /** Called when the test file is done: what the worker read stays for the next. */
  clear() {
    this.pending.clear();
  }
}

class CodeCachingRuntime extends Runtime {
  constructor(config, environment, resolver, transformer, cacheFS, ...rest) {
    super(config, environment, resolver, transformer, new WorkerSources(cacheFS), ...rest);
    // jest compiles a module in its executor's compile(), with its own options and error handling:
    // for the length of that call only, the compileFunction it calls keeps and reuses V8's code.
    const executor = this.executor;
    if (!executor || typeof executor.compile !== 'function') return;
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      vm.compileFunction = cachingCompileFunction;
      try {
        return compile(source, filename);
      } finally {
        vm.compileFunction = stockCompileFunction;
      }
    };
  }
}

module.exports = CodeCachingRuntime;
module.exports.WorkerSources = WorkerSources;
