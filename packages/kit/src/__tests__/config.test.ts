// Configuration from the environment: defaults, validation that stops with a
// ConfigError, and peer URLs that follow overridden ports.
import { ConfigError, port, readConfig, z } from '../config';
import { DEVELOPMENT_SIGNING_SECRET } from '../identity';
import { DEFAULT_PORTS, readServiceConfig, serviceEnv } from '../service-config';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  const schema = z.object({ PORT: port(8080), NAME: z.string().min(1) });

  test('parses and coerces the source', () => {
    expect(readConfig(schema, { PORT: '9090', NAME: 'x' })).toEqual({ PORT: 9090, NAME: 'x' });
  });

  test('applies defaults for missing values', () => {
    expect(readConfig(schema, { NAME: 'x' })).toEqual({ PORT: 8080, NAME: 'x' });
  });

  test('port 0 (let the OS pick) and 65535 are valid', () => {
    expect(readConfig(schema, { PORT: '0', NAME: 'x' }).PORT).toBe(0);
    expect(readConfig(schema, { PORT: '65535', NAME: 'x' }).PORT).toBe(65535);
  });

  test.each(['-1', '65536', '80.5', 'http', '4001abc'])('port %j is a ConfigError', (value) => {
    const error = configError(() => readConfig(schema, { PORT: value, NAME: 'x' }));
    expect(error.name).toBe('ConfigError');
  });

  test('a missing required value is a ConfigError', () => {
    configError(() => readConfig(schema, {}));
  });

  test('reads process.env by default', () => {
    const key = 'INTEROP_CONFIG_TEST_VALUE';
    process.env[key] = 'from-env';
    try {
      expect(readConfig(z.object({ [key]: z.string() }))).toEqual({ [key]: 'from-env' });
    } finally {
      delete process.env[key];
    }
  });
});

describe('readServiceConfig', () => {
  test('defaults match npm start and supergraph.yaml', () => {
    const config = readServiceConfig(serviceEnv, {});
    expect(config).toMatchObject({
      COMMERCE_PORT: 4001,
      PAYMENTS_PORT: 4002,
      MERCHANTS_PORT: 4003,
      SUBGRAPH_HOST: '127.0.0.1',
      PEER_TIMEOUT_MS: 2000,
      DATA_DIR: './.data',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.storage()).toEqual({ databaseUrl: undefined, dataDir: './.data', pgliteSharedBuffers: undefined });
    expect(DEFAULT_PORTS).toEqual({ gateway: 4000, commerce: 4001, payments: 4002, merchants: 4003, wallet: 4004 });
    expect(config.port('commerce')).toBe(4001);
    expect(config.peerUrl('commerce')).toBe('http://127.0.0.1:4001/graphql');
    expect(config.peerUrl('payments')).toBe('http://127.0.0.1:4002/graphql');
    expect(config.peerUrl('merchants')).toBe('http://127.0.0.1:4003/graphql');
  });

  test('storage names the server, the PGlite folder and PGlite\'s page cache', () => {
    const config = readServiceConfig(serviceEnv, { DATABASE_URL: 'postgres://db.internal/graph', DATA_DIR: '/var/lib/graph', PGLITE_SHARED_BUFFERS: '32MB' });
    expect(config.storage()).toEqual({ databaseUrl: 'postgres://db.internal/graph', dataDir: '/var/lib/graph', pgliteSharedBuffers: '32MB' });
  });

  test('peer URLs follow overridden ports', () => {
    const config = readServiceConfig(serviceEnv, { COMMERCE_PORT: '5001', PAYMENTS_PORT: '5002', MERCHANTS_PORT: '5003' });
    expect(config.port('payments')).toBe(5002);
    expect([config.peerUrl('commerce'), config.peerUrl('payments'), config.peerUrl('merchants')]).toEqual([
      'http://127.0.0.1:5001/graphql',
      'http://127.0.0.1:5002/graphql',
      'http://127.0.0.1:5003/graphql',
    ]);
  });

  test('an explicit peer URL wins over the port', () => {
    const config = readServiceConfig(serviceEnv, { PAYMENTS_PORT: '5002', PAYMENTS_URL: 'http://payments.internal:8080/graphql' });
    expect(config.peerUrl('payments')).toBe('http://payments.internal:8080/graphql');
    expect(config.port('payments')).toBe(5002);
    expect(config.peerUrl('commerce')).toBe('http://127.0.0.1:4001/graphql');
  });

  test.each([
    ['a port out of range', { MERCHANTS_PORT: '70000' }],
    ['a port that is not a number', { COMMERCE_PORT: 'four' }],
    ['a negative port', { PAYMENTS_PORT: '-5' }],
    ['a peer URL that is not a URL', { COMMERCE_URL: 'not a url' }],
    ['a zero peer timeout', { PEER_TIMEOUT_MS: '0' }],
    ['a fractional peer timeout', { PEER_TIMEOUT_MS: '2.5' }],
    ['an empty host', { SUBGRAPH_HOST: '' }],
    ['a port in hexadecimal', { COMMERCE_PORT: '0x10' }],
    ['a port with spaces around it', { GATEWAY_PORT: '4000', COMMERCE_PORT: ' 4005' }],
    ['PGlite shared buffers without a unit', { PGLITE_SHARED_BUFFERS: '32' }],
    ['PGlite shared buffers with more than a size', { PGLITE_SHARED_BUFFERS: '32MB -c fsync=off' }],
  ])('%s is a ConfigError', (_name, source) => {
    configError(() => readServiceConfig(serviceEnv, source));
  });

  test('an empty numeric variable counts as unset', () => {
    const config = readServiceConfig(serviceEnv, { COMMERCE_PORT: '', PEER_TIMEOUT_MS: '  ' });
    expect(config.port('commerce')).toBe(4001);
    expect(config.PEER_TIMEOUT_MS).toBe(2000);
  });

  test('a service extends the shared schema with settings of its own, and keeps what the shared ones derive', () => {
    const schema = serviceEnv.extend({ OWN_LIMIT: port(7000) });
    const config = readServiceConfig(schema, { OWN_LIMIT: '7100', MERCHANTS_PORT: '5003' });
    expect(config.OWN_LIMIT).toBe(7100);
    expect(config.peerUrl('merchants')).toBe('http://127.0.0.1:5003/graphql');
    configError(() => readServiceConfig(schema, { OWN_LIMIT: '70000' }));
  });
});

describe('the subgraph secret, which has a public development value', () => {
  const OWN = 'a-subgraph-secret-of-our-own';

  test('under NODE_ENV=production it must be set where it is used, and development keeps the default', () => {
    const production = readServiceConfig(serviceEnv, { NODE_ENV: 'production' });
    expect(configError(() => production.trust()).message).toContain('SUBGRAPH_SIGNING_SECRET');
    expect(readServiceConfig(serviceEnv, { NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: OWN }).trust().signingSecret).toBe(OWN);
    expect(readServiceConfig(serviceEnv, {}).trust().signingSecret).toBe(DEVELOPMENT_SIGNING_SECRET);
  });
});

describe('secrets accepted besides the signing secret, for a rotation', () => {
  const OLD = 'the-old-subgraph-secret-01';
  const NEW = 'the-new-subgraph-secret-02';

  test('each process signs with its own secret and accepts the listed ones besides it; unset is none', () => {
    const config = readServiceConfig(serviceEnv, { SUBGRAPH_SIGNING_SECRET: NEW, SUBGRAPH_SIGNING_SECRETS_ACCEPTED: ` ${OLD} ,` });
    expect(config.trust()).toMatchObject({ signingSecret: NEW, acceptedSecrets: [OLD] });
    const plain = readServiceConfig(serviceEnv, { SUBGRAPH_SIGNING_SECRETS_ACCEPTED: '' });
    expect(plain.trust().acceptedSecrets).toEqual([]);
  });

  test('an accepted secret shorter than 16 characters stops the start, naming SUBGRAPH_SIGNING_SECRETS_ACCEPTED', () => {
    expect(configError(() => readServiceConfig(serviceEnv, { SUBGRAPH_SIGNING_SECRETS_ACCEPTED: `${OLD},too-short` })).message).toContain('SUBGRAPH_SIGNING_SECRETS_ACCEPTED');
  });

  test('under NODE_ENV=production the development value is refused among the accepted secrets too', () => {
    const subgraph = readServiceConfig(serviceEnv, { NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: NEW, SUBGRAPH_SIGNING_SECRETS_ACCEPTED: `${OLD},${DEVELOPMENT_SIGNING_SECRET}` });
    expect(configError(() => subgraph.trust()).message).toContain('SUBGRAPH_SIGNING_SECRETS_ACCEPTED');
    // Development keeps accepting whatever it is given.
    const development = readServiceConfig(serviceEnv, { SUBGRAPH_SIGNING_SECRETS_ACCEPTED: DEVELOPMENT_SIGNING_SECRET });
    expect(development.trust().acceptedSecrets).toEqual([DEVELOPMENT_SIGNING_SECRET]);
  });
});
