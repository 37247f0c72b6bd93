export * from './server';
export * from './composition';
export * from './cli';
