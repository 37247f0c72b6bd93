// A shared secret rotated while processes restart one by one: a receiver
// accepts what was signed with its own secret or any it also accepts, and
// nothing else; a sender always signs with its own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { eventStreamRoute, eventStreamSignature } from '../events/event-stream-route';
import { LocalEventBus } from '../events/local-event-bus';
import { listen } from '../http';
import { IDENTITY_HEADER, serviceCaller, signIdentity, verifyIdentity } from '../identity';
import { createLogger } from '../logger';
import { contextMac, everyAcceptedSecret, matchesAnySecret, SIGNATURE_HEADER, signatureHeader, verifySignature, type SignedMessage } from '../signature';
import { subgraphAdmission } from '../subgraph';

const OLD = 'the-old-shared-secret-0001';
const NEW = 'the-new-shared-secret-0002';
const UNKNOWN = 'a-secret-nobody-accepts-03';
const BODY = '{"query":"{ platforms { id } }"}';
const NOW = 1_725_436_800;

describe('signed requests and webhooks', () => {
  const messages: [string, SignedMessage][] = [
    ['a wallet API call', { context: 'wallet-api', method: 'PUT', path: '/v1/payments/pay_1', body: BODY }],
    ['a wallet webhook', { context: 'wallet-webhook', body: BODY }],
    ['an event-stream read', { context: 'event-stream', method: 'GET', path: '/events/payments', body: '' }],
  ];

  test.each(messages)('%s signed with the current or an accepted secret verifies; with another it does not', (_name, message) => {
    const accepted = everyAcceptedSecret(NEW, [OLD]);
    for (const signer of [NEW, OLD]) {
      expect(verifySignature(accepted, message, signatureHeader(signer, message, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
    }
    expect(verifySignature(accepted, message, signatureHeader(UNKNOWN, message, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    // Once the old secret is dropped, what it signed is refused.
    expect(verifySignature(NEW, message, signatureHeader(OLD, message, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('an accepted secret does not loosen the other checks', () => {
    const message: SignedMessage = { context: 'wallet-webhook', body: BODY };
    const accepted = [NEW, OLD];
    expect(verifySignature(accepted, message, signatureHeader(OLD, message, NOW - 3_600), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
    const changedBody = { ...message, body: '{}' };
    expect(verifySignature(accepted, changedBody, signatureHeader(OLD, message, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(accepted, message, undefined)).toEqual({ ok: false, reason: 'missing' });
  });

  test('no secret accepts nothing', () => {
    const mac = contextMac(OLD, 'wallet-form', ['pay_1']);
    expect(matchesAnySecret([], mac, (secret) => contextMac(secret, 'wallet-form', ['pay_1']))).toBe(false);
    expect(matchesAnySecret([UNKNOWN, OLD], mac, (secret) => contextMac(secret, 'wallet-form', ['pay_1']))).toBe(true);
  });
});

describe('the identity seal', () => {
  test('a seal made with the current or an accepted secret verifies, for its audience only; another is refused', () => {
    const accepted = everyAcceptedSecret(NEW, [OLD]);
    for (const signer of [NEW, OLD]) {
      const header = signIdentity(signer, serviceCaller('gateway'), 'payments', BODY);
      expect(verifyIdentity(accepted, header, BODY, 'payments')).toEqual({ ok: true, caller: serviceCaller('gateway') });
      expect(verifyIdentity(accepted, header, BODY, 'merchants')).toEqual({ ok: false, reason: 'audience' });
    }
    expect(verifyIdentity(accepted, signIdentity(UNKNOWN, serviceCaller('gateway'), 'payments', BODY), BODY, 'payments')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyIdentity(NEW, signIdentity(OLD, serviceCaller('gateway'), 'payments', BODY), BODY, 'payments')).toEqual({ ok: false, reason: 'mismatch' });
  });

  test("a subgraph admits what is sealed with its trust's signing or accepted secrets", () => {
    const admit = subgraphAdmission('payments', { signingSecret: NEW, acceptedSecrets: [OLD] }, createLogger('secret-rotation-test'));
    const request = (secret: string) =>
      ({ headers: { [IDENTITY_HEADER]: signIdentity(secret, serviceCaller('merchants'), 'payments', BODY) }, socket: {} }) as unknown as IncomingMessage;
    expect(admit(request(NEW), BODY)).toEqual(serviceCaller('merchants'));
    expect(admit(request(OLD), BODY)).toEqual(serviceCaller('merchants'));
    expect(admit(request(UNKNOWN), BODY)).toBeNull();
    const dropped = subgraphAdmission('payments', { signingSecret: NEW }, createLogger('secret-rotation-test'));
    expect(dropped(request(OLD), BODY)).toBeNull();
  });
});

describe('an event stream', () => {
  let server: Server;
  let url: string;
  const stream = eventStreamRoute({ bus: new LocalEventBus(), path: '/events/test', secret: NEW, acceptedSecrets: [OLD] });

  beforeAll(async () => {
    server = createServer((req, res) => void stream.route(req, res));
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/events/test`;
  });

  afterAll(async () => {
    stream.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test.each([
    { signer: 'the current secret', secret: NEW, status: 200 },
    { signer: 'an accepted secret', secret: OLD, status: 200 },
    { signer: 'another secret', secret: UNKNOWN, status: 401 },
  ])('a read signed with $signer is answered $status', async ({ secret, status }) => {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { [SIGNATURE_HEADER]: eventStreamSignature(secret, '/events/test') }, signal: controller.signal });
    expect(response.status).toBe(status);
    controller.abort();
  });
});
