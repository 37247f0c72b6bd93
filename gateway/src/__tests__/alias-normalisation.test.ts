import { normaliseSource, restoreAliases } from '../alias-normalisation';

test('aliases that tell no fields apart are cut, at every level, and the answer gets them back', () => {
  const result = normaliseSource('{ a1: platform(id: "taobao") { n: name merchants(first: 2) { edges { node { id label : name } } } } }');
  expect(result?.source).toBe('{ platform(id: "taobao") { name merchants(first: 2) { edges { node { id name } } } } }');

  const planned = { platform: { name: 'Taobao', merchants: { edges: [{ node: { id: 'm1', name: 'A' } }, { node: { id: 'm2', name: 'B' } }] } } };
  expect(restoreAliases(planned, result!.renames)).toEqual({
    a1: { n: 'Taobao', merchants: { edges: [{ node: { id: 'm1', label: 'A' } }, { node: { id: 'm2', label: 'B' } }] } },
  });
});

test('two spellings of one shape become the same text', () => {
  expect(normaliseSource('query Tools { x: paymentTools { id } }')?.source).toBe('query Tools { paymentTools { id } }');
  expect(normaliseSource('query Tools { y: paymentTools { id } }')?.source).toBe('query Tools { paymentTools { id } }');
});

test('aliases that keep fields apart, or that would hide a conflict, stay', () => {
  // Two fields of one name; an alias that is another field's name; two fields answering under one alias.
  expect(normaliseSource('{ a: paymentTool(id: "alipay") { id } b: paymentTool(id: "wechat-pay") { id } }')).toBeNull();
  expect(normaliseSource('{ paymentTools { id } x: paymentTools { name } }')).toBeNull();
  expect(normaliseSource('{ x: platforms { id } x: paymentTools { id } }')).toBeNull();
  expect(normaliseSource('{ platforms: paymentTools { id } platforms { id } }')).toBeNull();

  const partly = normaliseSource('{ a: paymentTool(id: "alipay") { i: id } b: paymentTool(id: "wechat-pay") { id } platforms: paymentTools { id } x: platforms { id } }');
  // `x: platforms` stays: another field answers as `platforms`. `platforms: paymentTools` is cut.
  expect(partly?.source).toBe('{ a: paymentTool(id: "alipay") { id } b: paymentTool(id: "wechat-pay") { id } paymentTools { id } x: platforms { id } }');
  expect(restoreAliases({ a: { id: 'alipay' }, b: { id: 'wechat-pay' }, paymentTools: [], x: [] }, partly!.renames)).toEqual({
    a: { i: 'alipay' },
    b: { id: 'wechat-pay' },
    platforms: [],
    x: [],
  });
});

test('arguments, variables, input objects and directives are not taken for aliases', () => {
  const result = normaliseSource(
    'query Q($m: ID! = "m0000001", $on: Boolean = true) { c: checkout(platformId: "taobao", merchantId: $m, amount: { amountMinor: 100, currency: CNY }) @include(if: $on) { available { tool { id } } } }',
  );
  expect(result?.source).toBe(
    'query Q($m: ID! = "m0000001", $on: Boolean = true) { checkout(platformId: "taobao", merchantId: $m, amount: { amountMinor: 100, currency: CNY }) @include(if: $on) { available { tool { id } } } }',
  );
});

test('documents with fragments, several operations, no aliases or bad syntax go on as sent', () => {
  expect(normaliseSource('{ a: paymentTools { ...T } } fragment T on PaymentTool { id }')).toBeNull();
  expect(normaliseSource('{ a: paymentTools { ... on PaymentTool { id } } }')).toBeNull();
  expect(normaliseSource('query A { a: paymentTools { id } } query B { platforms { id } }')).toBeNull();
  expect(normaliseSource('{ paymentTools { id } }')).toBeNull();
  expect(normaliseSource('{ a: paymentTools { id }')).toBeNull();
  expect(normaliseSource('{ a: "unterminated }')).toBeNull();
});

test('nulls, lists and keys outside the renames pass through unchanged', () => {
  const result = normaliseSource('{ p: platform(id: "nowhere") { name } t: paymentTools { id } }');
  expect(restoreAliases({ platform: null, paymentTools: [{ id: 'alipay' }] }, result!.renames)).toEqual({ p: null, t: [{ id: 'alipay' }] });
});

test('a selection nested 10,000 deep is left as sent, without exhausting the stack', () => {
  const deep = `{ ${'a: platform(id: "taobao") { '.repeat(10_000)}name${' }'.repeat(10_000)} }`;
  expect(normaliseSource(deep)).toBeNull();
});
