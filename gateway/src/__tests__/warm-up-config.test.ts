// The config file's `warmUp`: the Sandbox's example operation and the queries
// listed, each checked at start to be one query (a warm-up never changes the
// graph), and GATEWAY_WARM_UP_REQUESTS over the file's count.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@interop/kit';
import { scratchDir } from '@interop/testing/scratch-dir';
import { parseGatewayCli } from '../cli';
import { DEFAULT_WARM_UP } from '../defaults';
import { EXAMPLE_OPERATION } from '../example-operation';
import { readGatewaySettings } from '../gateway-config';

const dir = scratchDir('gateway-warm-up-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PAGE = 'query Page($after: String) { platform(id: "taobao") { merchants(first: 50, after: $after) { totalCount } } }';

test('without a file: the Sandbox example, 500 times within 30 seconds', () => {
  expect(readGatewaySettings(undefined, {}).warmUp).toEqual({ operations: [{ query: EXAMPLE_OPERATION, variables: expect.any(Object) }], requests: 500, maxSeconds: 30 });
  expect(readGatewaySettings(undefined, {}).warmUp).toEqual(DEFAULT_WARM_UP);
});

test('the listed queries run after the example, with one set of variables or several in turn; the example can be left out', () => {
  const text = `warmUp:\n  requests: 40\n  operations:\n    - query: '${PAGE}'\n      variables: [{}, { after: azo1MDA }]\n    - query: '{ paymentTools { id } }'\n`;
  const listed = readGatewaySettings(file('listed.yaml', text), {}).warmUp;
  expect(listed.requests).toBe(40);
  expect(listed.maxSeconds).toBe(30);
  expect(listed.operations.map((operation) => operation.query)).toEqual([EXAMPLE_OPERATION, PAGE, '{ paymentTools { id } }']);
  expect(listed.operations[1]!.variables).toEqual([{}, { after: 'azo1MDA' }]);
  const alone = readGatewaySettings(file('alone.yaml', `${text}  sandboxExample: false\n`), {}).warmUp;
  expect(alone.operations.map((operation) => operation.query)).toEqual([PAGE, '{ paymentTools { id } }']);
});

test.each([
  ['a mutation', 'warmUp:\n  operations:\n    - query: "mutation { openPaymentTool(merchantId: \\"m1\\", platformId: \\"taobao\\", paymentToolId: \\"alipay\\") { id } }"\n'],
  ['a subscription', 'warmUp:\n  operations:\n    - query: "subscription { paymentUpdated(id: \\"p1\\") { id } }"\n'],
  ['two operations', 'warmUp:\n  operations:\n    - query: "query A { paymentTools { id } } query B { platforms { id } }"\n'],
  ['text that is not GraphQL', 'warmUp:\n  operations:\n    - query: "{ paymentTools { id "\n'],
  ['variables that are not an object', 'warmUp:\n  operations:\n    - { query: "{ platforms { id } }", variables: 5 }\n'],
  ['a negative count', 'warmUp:\n  requests: -1\n'],
  ['an unknown key', 'warmUp:\n  rounds: 3\n'],
])('%s stops the start with a ConfigError', (name, text) => {
  expect(() => readGatewaySettings(file(`${name.replace(/\W+/g, '-')}.yaml`, text), {})).toThrow(ConfigError);
});

test('GATEWAY_WARM_UP_REQUESTS overrides the count; 0 turns the warm-up off, anything but a whole number stops the start', () => {
  const supergraph = file('supergraph.graphql', 'type Query { a: String }\n');
  const config = file('warm.yaml', 'warmUp:\n  requests: 40\n');
  const cli = (env: Record<string, string>) => parseGatewayCli(['--supergraph', supergraph, '--config', config], env);
  expect(cli({}).warmUp.requests).toBe(40);
  expect(cli({ GATEWAY_WARM_UP_REQUESTS: '0' }).warmUp.requests).toBe(0);
  expect(cli({ GATEWAY_WARM_UP_REQUESTS: '7' }).warmUp.requests).toBe(7);
  expect(() => cli({ GATEWAY_WARM_UP_REQUESTS: 'many' })).toThrow(ConfigError);
});
