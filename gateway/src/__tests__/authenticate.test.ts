// The gateway's authenticator and its configuration, without a graph: API
// keys by digest, HS256 and RS256 (JWKS file) tokens mapped to a partner and
// scopes, and a config file or environment that is wrong stops the start.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@interop/kit';
import { ANONYMOUS } from '@interop/kit/security';
import { digestKey } from '../auth/api-keys';
import { Authenticator } from '../auth/authenticate';
import { readGatewaySettings } from '../gateway-config';
import { scratchDir } from '@interop/testing/scratch-dir';

const dir = scratchDir('gateway-auth-');
const AUDIENCE = 'interop-graph';

async function rsaSetup() {
  const jose = await import('jose');
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const sign = (claims: Record<string, unknown>, expiresIn = '5m') =>
    new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);
  return { jwksFile, sign, jose };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

test('an API key maps to its partner and scopes; none is anonymous; an unknown one is UNAUTHENTICATED', async () => {
  const authenticator = await Authenticator.create({
    apiKeys: [{ id: 'acme', partnerId: 'acme', sha256: digestKey('acme-secret-key'), scopes: ['payments:read'] }],
  });
  await expect(authenticator.authenticate({ 'x-api-key': 'acme-secret-key' })).resolves.toEqual({
    partnerId: 'acme',
    scopes: ['payments:read'],
    credentialId: 'key:acme',
  });
  await expect(authenticator.authenticate({ authorization: 'Bearer acme-secret-key' })).resolves.toMatchObject({ partnerId: 'acme' });
  await expect(authenticator.authenticate({})).resolves.toBe(ANONYMOUS);
  expect(await codeOf(authenticator.authenticate({ 'x-api-key': 'acme-secret-kez' }))).toBe('UNAUTHENTICATED');
  // A token where no JWT settings exist is refused, not read as a key.
  expect(await codeOf(authenticator.authenticate({ authorization: 'Bearer a.b.c' }))).toBe('UNAUTHENTICATED');
});

test('RS256 tokens verify against a JWKS file: scopes from a string or an array; expired, foreign or HS256 tokens are refused', async () => {
  const { jwksFile, sign, jose } = await rsaSetup();
  const authenticator = await Authenticator.create({ apiKeys: [], jwt: { audience: AUDIENCE, jwksFile } });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  await expect(authenticator.authenticate(bearer(await sign({ partner_id: 'acme', scope: 'payments:read payments:write', sub: 'u1' })))).resolves.toEqual({
    partnerId: 'acme',
    scopes: ['payments:read', 'payments:write'],
    credentialId: 'jwt:u1',
  });
  await expect(authenticator.authenticate(bearer(await sign({ partner_id: 'acme', scope: ['payments:read'] })))).resolves.toMatchObject({ scopes: ['payments:read'] });

  const refused = [
    await sign({ partner_id: 'acme' }, '-1m'),
    await sign({ scope: 'payments:read' }),
    await new jose.SignJWT({ partner_id: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32))),
  ];
  const other = await jose.generateKeyPair('RS256');
  refused.push(await new jose.SignJWT({ partner_id: 'acme' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setAudience(AUDIENCE).setExpirationTime('5m').sign(other.privateKey));
  for (const token of refused) expect(await codeOf(authenticator.authenticate(bearer(token)))).toBe('UNAUTHENTICATED');
});

describe('the config file and environment', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('a valid file gives keys, JWT settings with the secret from the environment, limits and rate limits', () => {
    const path = file(
      'ok.yaml',
      `auth:\n  apiKeys:\n    - { id: a, partnerId: acme, sha256: ${digestKey('k')}, scopes: [payments:read] }\n  jwt: { audience: x, hs256SecretEnv: MY_SECRET }\nlimits: { maxDepth: 5 }\nrateLimit: { points: 10 }\n`,
    );
    const settings = readGatewaySettings(path, { MY_SECRET: 's'.repeat(32), GATEWAY_API_KEYS: JSON.stringify([{ id: 'b', partnerId: 'beta', sha256: digestKey('j') }]) });
    expect(settings.auth.apiKeys.map((key) => key.partnerId)).toEqual(['acme', 'beta']);
    expect(settings.auth.jwt).toMatchObject({ audience: 'x', hs256Secret: 's'.repeat(32) });
    expect(settings.limits).toEqual({ maxDepth: 5 });
    expect(settings.rateLimit).toEqual({ enabled: true, points: 10, anonymousPoints: 120, windowSeconds: 60 });
  });

  test.each([
    ['an unknown key', 'limts: { maxDepth: 5 }\n', {}],
    ['a key that is not a digest', 'auth:\n  apiKeys:\n    - { id: a, partnerId: acme, sha256: plain-text-key }\n', {}],
    ['a malformed scope', `auth:\n  apiKeys:\n    - { id: a, partnerId: acme, sha256: ${digestKey('k')}, scopes: [everything] }\n`, {}],
    ['both JWT key sources', 'auth:\n  jwt: { audience: x, hs256SecretEnv: S, jwksFile: j.json }\n', { S: 's'.repeat(32) }],
    ['a missing JWT secret', 'auth:\n  jwt: { audience: x, hs256SecretEnv: ABSENT }\n', {}],
    ['a zero limit', 'limits: { maxDepth: 0 }\n', {}],
    ['a proxy that is not an address', 'trustedProxies: [the-load-balancer]\n', {}],
    ['a response cache of no size', 'responseCache: { maxSizeMiB: 0 }\n', {}],
    ['a CORS origin with a path', 'cors: { origins: [https://shop.example/app] }\n', {}],
    ['a CORS origin without a scheme', 'cors: { origins: [shop.example] }\n', {}],
    ['a CORS origin from the environment that is not one', '', { GATEWAY_CORS_ORIGINS: 'https://ok.example, ftp://files.example' }],
  ])('%s stops the start with a ConfigError', (name, text, env) => {
    const path = file(`${name.replace(/\W+/g, '-')}.yaml`, text);
    expect(() => readGatewaySettings(path, env)).toThrow(ConfigError);
  });

  test('CORS origins come from the file, or all from GATEWAY_CORS_ORIGINS when it is set', () => {
    const path = file('cors.yaml', 'cors:\n  origins: [https://shop.example, "http://localhost:5173/"]\n');
    expect(readGatewaySettings(path, {}).corsOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(readGatewaySettings(path, { GATEWAY_CORS_ORIGINS: ' https://a.example ,https://B.example:443' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(readGatewaySettings(path, { GATEWAY_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(readGatewaySettings(undefined, {}).corsOrigins).toEqual([]);
  });

  test('malformed GATEWAY_API_KEYS stops the start', () => {
    expect(() => readGatewaySettings(undefined, { GATEWAY_API_KEYS: '{not json' })).toThrow(ConfigError);
    expect(() => readGatewaySettings(undefined, { GATEWAY_API_KEYS: '[{"id":"a"}]' })).toThrow(ConfigError);
  });
});
