// Apollo Client warns (about cache data it would lose, among others) only in
// development mode, which it decides once, when first loaded: a test that
// checks for its warnings imports this before anything that loads it.
(globalThis as { __DEV__?: boolean }).__DEV__ = true;

export {};
