// The `operation` label on /metrics stays bounded whatever names clients send:
// a name is a label value only once it repeats, and a name pushed out of the
// followed set takes its series with it.
import { GatewayMetrics } from '../metrics';
import { OperationLabels } from '../request-metrics';

async function seriesNames(metrics: GatewayMetrics): Promise<Set<string>> {
  const text = await metrics.registry.metrics();
  return new Set([...text.matchAll(/gateway_request_duration_seconds_count\{operation="([^"]+)"/g)].map((match) => match[1]!));
}

function record(metrics: GatewayMetrics, labels: OperationLabels, name: string | null): string {
  const operation = labels.label(name);
  metrics.latency.observe({ operation }, 0.01);
  metrics.requests.inc({ operation, outcome: 'ok' });
  return operation;
}

it('labels a name only once it repeats; one-off and malformed names count as other, nameless ones as anonymous', () => {
  const labels = new OperationLabels(new GatewayMetrics(), { requestsToBeLabelled: 3 });
  expect([labels.label('CheckoutPage'), labels.label('CheckoutPage'), labels.label('CheckoutPage')]).toEqual(['other', 'other', 'CheckoutPage']);
  expect(labels.label('CheckoutPage')).toBe('CheckoutPage');
  expect(labels.label('Once')).toBe('other');
  expect(labels.label('not a name!')).toBe('other');
  expect(labels.label(null)).toBe('anonymous');
  expect(labels.label('')).toBe('anonymous');
});

it('keeps the series bounded under a flood of random names, and drops a label pushed out', async () => {
  const metrics = new GatewayMetrics();
  const labels = new OperationLabels(metrics, { followed: 10, requestsToBeLabelled: 2 });
  for (let i = 0; i < 2; i += 1) record(metrics, labels, 'Steady');
  expect(await seriesNames(metrics)).toContain('Steady');
  // Random names, each sent twice so each becomes a label for a while.
  for (let i = 0; i < 1000; i += 1) {
    record(metrics, labels, `Random${i}`);
    record(metrics, labels, `Random${i}`);
  }
  const names = await seriesNames(metrics);
  expect(names.size).toBeLessThanOrEqual(11);
  expect(names).not.toContain('Steady');
  expect(names).toContain('other');
});

it('keeps a name that stays among the recent ones', async () => {
  const metrics = new GatewayMetrics();
  const labels = new OperationLabels(metrics, { followed: 10, requestsToBeLabelled: 2 });
  for (let i = 0; i < 500; i += 1) {
    expect(record(metrics, labels, 'Busy')).toBe(i === 0 ? 'other' : 'Busy');
    record(metrics, labels, `OneOff${i}`);
  }
  expect(await seriesNames(metrics)).toEqual(new Set(['Busy', 'other']));
});
