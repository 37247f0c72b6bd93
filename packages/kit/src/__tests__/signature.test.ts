// Each kind of signed message is its own signing context: with one secret and
// one body, a signature made for one kind, method, path or audience does not
// verify as another.
import { ANONYMOUS, bodyDigest, identityClaims, sealIdentity, sealIdentityOverDigest, serviceCaller, signIdentity, verifyIdentity } from '../identity';
import { contextMac, signatureHeader, verifySignature, type SignedMessage } from '../signature';

const SECRET = 'one-secret-for-every-kind';
const BODY = '{}';
const NOW = 1_725_436_800;

const messages: [string, SignedMessage][] = [
  ['a wallet API cancel', { context: 'wallet-api', method: 'POST', path: '/v1/payments/pay_1/cancel', body: BODY }],
  ['the same cancel for another payment', { context: 'wallet-api', method: 'POST', path: '/v1/payments/pay_2/cancel', body: BODY }],
  ['the same path with another method', { context: 'wallet-api', method: 'PUT', path: '/v1/payments/pay_1/cancel', body: BODY }],
  ['a wallet webhook', { context: 'wallet-webhook', body: BODY }],
  ['an event-stream request', { context: 'event-stream', method: 'POST', path: '/v1/payments/pay_1/cancel', body: BODY }],
];

test.each(messages)('%s verifies as itself and as nothing else', (name, message) => {
  const header = signatureHeader(SECRET, message, NOW);
  for (const [otherName, other] of messages) {
    expect(verifySignature(SECRET, other, header, { nowSeconds: NOW })).toEqual(otherName === name ? { ok: true } : { ok: false, reason: 'mismatch' });
  }
});

test('a method is compared as HTTP does, in upper case', () => {
  const header = signatureHeader(SECRET, { context: 'wallet-api', method: 'put', path: '/v1/refunds/r1', body: BODY }, NOW);
  expect(verifySignature(SECRET, { context: 'wallet-api', method: 'PUT', path: '/v1/refunds/r1', body: BODY }, header, { nowSeconds: NOW })).toEqual({ ok: true });
});

test('the same fields under another context make another MAC', () => {
  expect(contextMac(SECRET, 'wallet-form', ['pay_1'])).not.toBe(contextMac(SECRET, 'subgraph-identity', ['pay_1']));
});

test('an identity sealed for one subgraph is refused by another, as its audience', () => {
  const header = signIdentity(SECRET, serviceCaller('gateway'), 'payments', BODY);
  expect(verifyIdentity(SECRET, header, BODY, 'payments')).toEqual({ ok: true, caller: serviceCaller('gateway') });
  expect(verifyIdentity(SECRET, header, BODY, 'merchants')).toEqual({ ok: false, reason: 'audience' });
  // Claims rewritten to name another audience no longer match the seal.
  const [claims = '', mac] = header.split('.');
  const moved = Buffer.from(Buffer.from(claims, 'base64url').toString('utf8').replace('"a":"payments"', '"a":"merchants"')).toString('base64url');
  expect(verifyIdentity(SECRET, `${moved}.${mac}`, BODY, 'merchants')).toEqual({ ok: false, reason: 'mismatch' });
  expect(verifyIdentity(SECRET, signIdentity(SECRET, ANONYMOUS, 'merchants', BODY), BODY, 'merchants').ok).toBe(true);
});

test('a seal over the digest of the body\'s bytes is the seal over the body, and verifies only with that body', () => {
  const body = '{"query":"{ platform(id: \\"taobao\\") { name } }","variables":{"name":"淘宝"}}';
  const claims = identityClaims(ANONYMOUS, 'commerce');
  const overDigest = sealIdentityOverDigest(SECRET, claims, bodyDigest(Buffer.from(body, 'utf8')));
  expect(overDigest).toBe(sealIdentity(SECRET, claims, body));
  expect(bodyDigest(Buffer.from(body, 'utf8'))).toBe(bodyDigest(body));
  expect(verifyIdentity(SECRET, overDigest, body, 'commerce').ok).toBe(true);
  expect(verifyIdentity(SECRET, overDigest, `${body} `, 'commerce')).toEqual({ ok: false, reason: 'mismatch' });
});
