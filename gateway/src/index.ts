export * from './server';
export * from './composition';
export * from './cli';
export * from './operation-limits';
export * from './demo';
