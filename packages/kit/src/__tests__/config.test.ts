// Configuration from the environment: defaults, validation that stops with a
// ConfigError, and peer URLs that follow overridden ports.
import { ConfigError, port, readConfig, z } from '../config';
import { DEVELOPMENT_SIGNING_SECRET } from '../identity';
import { DEFAULT_PORTS, DEVELOPMENT_WALLET_SECRET, readServiceConfig } from '../service-config';

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
    const config = readServiceConfig({});
    expect(config).toMatchObject({
      COMMERCE_PORT: 4001,
      PAYMENTS_PORT: 4002,
      MERCHANTS_PORT: 4003,
      SUBGRAPH_HOST: '127.0.0.1',
      PEER_TIMEOUT_MS: 2000,
      DATA_DIR: './.data',
      MERCHANT_COUNT: 5000,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(DEFAULT_PORTS).toEqual({ gateway: 4000, commerce: 4001, payments: 4002, merchants: 4003, wallet: 4004 });
    expect(config.port('commerce')).toBe(4001);
    expect(config.peerUrl('commerce')).toBe('http://127.0.0.1:4001/graphql');
    expect(config.peerUrl('payments')).toBe('http://127.0.0.1:4002/graphql');
    expect(config.peerUrl('merchants')).toBe('http://127.0.0.1:4003/graphql');
  });

  test('peer URLs follow overridden ports', () => {
    const config = readServiceConfig({ COMMERCE_PORT: '5001', PAYMENTS_PORT: '5002', MERCHANTS_PORT: '5003' });
    expect(config.port('payments')).toBe(5002);
    expect([config.peerUrl('commerce'), config.peerUrl('payments'), config.peerUrl('merchants')]).toEqual([
      'http://127.0.0.1:5001/graphql',
      'http://127.0.0.1:5002/graphql',
      'http://127.0.0.1:5003/graphql',
    ]);
  });

  test('an explicit peer URL wins over the port', () => {
    const config = readServiceConfig({ PAYMENTS_PORT: '5002', PAYMENTS_URL: 'http://payments.internal:8080/graphql' });
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
    ['a negative merchant count', { MERCHANT_COUNT: '-1' }],
    ['an empty host', { SUBGRAPH_HOST: '' }],
    ['a port in hexadecimal', { COMMERCE_PORT: '0x10' }],
    ['a merchant count in exponent form', { MERCHANT_COUNT: '1e3' }],
    ['a port with spaces around it', { GATEWAY_PORT: '4000', COMMERCE_PORT: ' 4005' }],
  ])('%s is a ConfigError', (_name, source) => {
    configError(() => readServiceConfig(source));
  });

  test('an empty numeric variable counts as unset', () => {
    const config = readServiceConfig({ COMMERCE_PORT: '', MERCHANT_COUNT: '  ' });
    expect(config.port('commerce')).toBe(4001);
    expect(config.MERCHANT_COUNT).toBe(5000);
  });
});

describe('secrets with a public development value', () => {
  const OWN = { SUBGRAPH_SIGNING_SECRET: 'a-subgraph-secret-of-our-own', WALLET_SIGNING_SECRET: 'a-wallet-secret-of-our-own' };

  test('under NODE_ENV=production the wallet secret must be set: the processes that use it refuse the development value', () => {
    const config = readServiceConfig({ NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: OWN.SUBGRAPH_SIGNING_SECRET });
    // The subgraphs that never talk to the wallet still start.
    expect(config.trust().signingSecret).toBe(OWN.SUBGRAPH_SIGNING_SECRET);
    expect(configError(() => config.walletSecret()).message).toContain('WALLET_SIGNING_SECRET');
    expect(configError(() => readServiceConfig({ NODE_ENV: 'production', ...OWN, WALLET_SIGNING_SECRET: DEVELOPMENT_WALLET_SECRET }).walletSecret()).message).toContain(
      'WALLET_SIGNING_SECRET',
    );
    expect(readServiceConfig({ NODE_ENV: 'production', ...OWN }).walletSecret()).toBe(OWN.WALLET_SIGNING_SECRET);
  });

  test('the subgraph secret follows the same rule where it is used (the wallet never uses it), and development keeps both defaults', () => {
    const wallet = readServiceConfig({ NODE_ENV: 'production', WALLET_SIGNING_SECRET: OWN.WALLET_SIGNING_SECRET });
    expect(wallet.walletSecret()).toBe(OWN.WALLET_SIGNING_SECRET);
    expect(configError(() => wallet.trust()).message).toContain('SUBGRAPH_SIGNING_SECRET');
    expect(readServiceConfig({}).walletSecret()).toBe(DEVELOPMENT_WALLET_SECRET);
  });
});

describe('secrets accepted besides the signing secret, for a rotation', () => {
  const OLD = 'the-old-subgraph-secret-01';
  const NEW = 'the-new-subgraph-secret-02';

  test('each process signs with its own secret and accepts the listed ones besides it; unset is none', () => {
    const config = readServiceConfig({
      SUBGRAPH_SIGNING_SECRET: NEW,
      SUBGRAPH_SIGNING_SECRETS_ACCEPTED: ` ${OLD} ,`,
      WALLET_SIGNING_SECRET: 'the-new-wallet-secret-0001',
      WALLET_SIGNING_SECRETS_ACCEPTED: 'the-old-wallet-secret-0001,the-older-wallet-secret-01',
    });
    expect(config.trust()).toMatchObject({ signingSecret: NEW, acceptedSecrets: [OLD] });
    expect(config.walletSecret()).toBe('the-new-wallet-secret-0001');
    expect(config.walletAcceptedSecrets()).toEqual(['the-old-wallet-secret-0001', 'the-older-wallet-secret-01']);
    const plain = readServiceConfig({ SUBGRAPH_SIGNING_SECRETS_ACCEPTED: '', WALLET_SIGNING_SECRETS_ACCEPTED: ' ' });
    expect(plain.trust().acceptedSecrets).toEqual([]);
    expect(plain.walletAcceptedSecrets()).toEqual([]);
  });

  test.each(['SUBGRAPH_SIGNING_SECRETS_ACCEPTED', 'WALLET_SIGNING_SECRETS_ACCEPTED'])('an accepted secret shorter than 16 characters stops the start, naming %s', (name) => {
    expect(configError(() => readServiceConfig({ [name]: `${OLD},too-short` })).message).toContain(name);
  });

  test('under NODE_ENV=production the development values are refused among the accepted secrets too', () => {
    const production = { NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: NEW, WALLET_SIGNING_SECRET: 'the-new-wallet-secret-0001' };
    const subgraph = readServiceConfig({ ...production, SUBGRAPH_SIGNING_SECRETS_ACCEPTED: `${OLD},${DEVELOPMENT_SIGNING_SECRET}` });
    expect(configError(() => subgraph.trust()).message).toContain('SUBGRAPH_SIGNING_SECRETS_ACCEPTED');
    const wallet = readServiceConfig({ ...production, WALLET_SIGNING_SECRETS_ACCEPTED: DEVELOPMENT_WALLET_SECRET });
    expect(configError(() => wallet.walletAcceptedSecrets()).message).toContain('WALLET_SIGNING_SECRETS_ACCEPTED');
    // Development keeps accepting whatever it is given.
    const development = readServiceConfig({ SUBGRAPH_SIGNING_SECRETS_ACCEPTED: DEVELOPMENT_SIGNING_SECRET });
    expect(development.trust().acceptedSecrets).toEqual([DEVELOPMENT_SIGNING_SECRET]);
  });
});
