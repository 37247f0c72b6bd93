// Partner webhook signatures as payments sends them: one `v1=` per live
// secret, the newest first, each the HMAC-SHA256 of `${t}.${body}`; and the
// secrets endpoints get. (The SDK's test checks that verifyWebhook accepts
// what this signs.)
import { createHmac } from 'node:crypto';
import { newWebhookSecret, signWebhookPayload } from '../webhook-signature';

const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

test('one v1 per secret, in the order given, over the timestamp, a dot and the body', () => {
  const body = '{"id":"evt_1"}';
  expect(signWebhookPayload('whsec_a', 1_700_000_000, body)).toBe(`t=1700000000,v1=${mac('whsec_a', `1700000000.${body}`)}`);
  expect(signWebhookPayload(['whsec_new', 'whsec_old'], 1_700_000_000, body)).toBe(
    `t=1700000000,v1=${mac('whsec_new', `1700000000.${body}`)},v1=${mac('whsec_old', `1700000000.${body}`)}`,
  );
});

test.each([
  ['no secret', [], 1_700_000_000],
  ['a fractional timestamp', 'whsec_a', 1.5],
  ['a negative timestamp', 'whsec_a', -1],
])('refuses to sign with %s', (_name, secrets, timestamp) => {
  expect(() => signWebhookPayload(secrets, timestamp, '{}')).toThrow();
});

test('a new secret is whsec_ and 32 random bytes, base64url', () => {
  const secrets = new Set(Array.from({ length: 20 }, newWebhookSecret));
  expect(secrets.size).toBe(20);
  for (const secret of secrets) {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
  }
});
