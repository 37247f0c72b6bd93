import { parse, print } from 'graphql';
import { normaliseAliases, restoreAliases } from '../alias-normalisation';

const normalised = (query: string, operationName?: string) => normaliseAliases(parse(query), operationName);

test('aliases that tell no fields apart are taken out, at every level, and the answer gets them back', () => {
  const result = normalised('{ a1: platform(id: "taobao") { n: name merchants(first: 2) { edges { node { id label: name } } } } }');
  expect(result).not.toBeNull();
  expect(print(result!.document)).toBe(print(parse('{ platform(id: "taobao") { name merchants(first: 2) { edges { node { id name } } } } }')));
  // The text planned and cached is the client's, less the aliases.
  expect(result!.source).toBe('{ platform(id: "taobao") { name merchants(first: 2) { edges { node { id name } } } } }');

  const planned = { platform: { name: 'Taobao', merchants: { edges: [{ node: { id: 'm1', name: 'A' } }, { node: { id: 'm2', name: 'B' } }] } } };
  expect(restoreAliases(planned, result!.renames)).toEqual({
    a1: { n: 'Taobao', merchants: { edges: [{ node: { id: 'm1', label: 'A' } }, { node: { id: 'm2', label: 'B' } }] } },
  });
});

test('two spellings of one shape become the same operation', () => {
  const first = normalised('{ x: paymentTools { id } }');
  const second = normalised('{ y: paymentTools { id } }');
  expect(first?.queryHash).toBe(second?.queryHash);
  expect(first?.source).toBe(second?.source);
});

test('aliases that keep fields apart stay', () => {
  // Two fields of one name, and an alias that another field's name uses.
  expect(normalised('{ a: paymentTool(id: "alipay") { id } b: paymentTool(id: "wechat-pay") { id } }')).toBeNull();
  expect(normalised('{ paymentTools { id } x: paymentTools { name } }')).toBeNull();
  // `x` keeps its alias: another field's alias is its name. `platforms: paymentTools` loses it.
  const partly = normalised('{ a: paymentTool(id: "alipay") { i: id } b: paymentTool(id: "wechat-pay") { id } platforms: paymentTools { id } x: platforms { id } }');
  expect(print(partly!.document)).toBe(
    print(parse('{ a: paymentTool(id: "alipay") { id } b: paymentTool(id: "wechat-pay") { id } paymentTools { id } x: platforms { id } }')),
  );
  expect(restoreAliases({ a: { id: 'alipay' }, b: { id: 'wechat-pay' }, paymentTools: [], x: [] }, partly!.renames)).toEqual({
    a: { i: 'alipay' },
    b: { id: 'wechat-pay' },
    platforms: [],
    x: [],
  });
});

test('operations with fragments, or without aliases, are left as sent', () => {
  expect(normalised('{ a: paymentTools { ...T } } fragment T on PaymentTool { id }')).toBeNull();
  expect(normalised('{ a: paymentTools { ... on PaymentTool { id } } }')).toBeNull();
  expect(normalised('{ paymentTools { id } }')).toBeNull();
});

test('only the chosen operation is kept', () => {
  const result = normalised('query A { a: paymentTools { id } } query B { platforms { id } }', 'A');
  expect(print(result!.document)).toBe(print(parse('query A { paymentTools { id } }')));
});

test('nulls, lists and keys outside the renames pass through unchanged', () => {
  const result = normalised('{ p: platform(id: "nowhere") { name } t: paymentTools { id } }');
  expect(restoreAliases({ platform: null, paymentTools: [{ id: 'alipay' }] }, result!.renames)).toEqual({ p: null, t: [{ id: 'alipay' }] });
});
