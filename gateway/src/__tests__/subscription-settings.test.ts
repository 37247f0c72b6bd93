// The subscription settings the gateway's command line reads from the
// environment: each has its default, takes a whole number, and refuses
// anything else before the gateway starts.
import { ConfigError } from '@interop/kit';
import { parseGatewayCli } from '../cli';
import { DEFAULT_SUBSCRIPTION_LIMITS } from '../subscriptions/limits';

const limitsWith = (env: Record<string, string>) => parseGatewayCli([], env).subscriptionLimits;

test('each subscription setting has its default', () => {
  expect(limitsWith({})).toEqual({
    maxPerConnection: DEFAULT_SUBSCRIPTION_LIMITS.maxPerConnection,
    maxPerCaller: DEFAULT_SUBSCRIPTION_LIMITS.maxPerCaller,
    idleTimeoutMs: DEFAULT_SUBSCRIPTION_LIMITS.idleTimeoutMs,
    recheckMs: 30_000,
  });
});

test('GATEWAY_SUBSCRIPTION_RECHECK_MS sets how often a subscription re-reads its entity unprompted', () => {
  expect(limitsWith({ GATEWAY_SUBSCRIPTION_RECHECK_MS: '5000' }).recheckMs).toBe(5_000);
});

test.each(['soon', '0', '-1', '1e3', '600001'])('GATEWAY_SUBSCRIPTION_RECHECK_MS=%s is refused before the gateway starts', (value) => {
  expect(() => limitsWith({ GATEWAY_SUBSCRIPTION_RECHECK_MS: value })).toThrow(ConfigError);
});
