export * from './server';
export * from './composition';
export * from './cli';
export * from './operation-limits';
export * from './auth/authenticate';
export * from './auth/api-keys';
export * from './gateway-config';
export * from './rate-limit';
