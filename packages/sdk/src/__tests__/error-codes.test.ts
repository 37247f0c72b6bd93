// The codes a client can be told are stated once, in the schema: the SDK's
// union, the kit's codes (with Apollo Server's) and the schema's enum are the
// same set, and the gateway's error mask lets exactly those through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { APOLLO_SERVER_ERROR_CODES, ErrorCode as KitErrorCode, isClientSafe } from '@interop/kit';
import { ERROR_CODES, RETRYABLE_CODES, isErrorCode } from '../index';

function schemaEnum(file: string): EnumTypeDefinitionNode {
  const document = parse(readFileSync(join(__dirname, '../../../..', file), 'utf8'));
  const found = document.definitions.find(
    (definition): definition is EnumTypeDefinitionNode => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'ErrorCode',
  );
  if (!found) throw new Error(`${file} has no enum ErrorCode`);
  return found;
}

const sorted = (values: Iterable<string>) => [...values].sort();
const valuesOf = (definition: EnumTypeDefinitionNode) => (definition.values ?? []).map((value) => value.name.value);

test('the supergraph’s ErrorCode enum is the kit’s codes plus Apollo Server’s', () => {
  const codes = valuesOf(schemaEnum('supergraph.graphql'));
  expect(sorted(codes)).toEqual(sorted([...Object.values(KitErrorCode), ...APOLLO_SERVER_ERROR_CODES]));
});

test('the SDK’s codes are the supergraph’s, in the schema’s order', () => {
  expect([...ERROR_CODES]).toEqual(valuesOf(schemaEnum('supergraph.graphql')));
});

test('every code has a description in the schema', () => {
  const undescribed = (schemaEnum('supergraph.graphql').values ?? []).filter((value) => !value.description?.value.trim());
  expect(undescribed.map((value) => value.name.value)).toEqual([]);
});

test('the error mask shows every code as it is except INTERNAL_SERVER_ERROR, which it gives to everything else', () => {
  expect(ERROR_CODES.filter((code) => !isClientSafe(code))).toEqual(['INTERNAL_SERVER_ERROR']);
  expect(isClientSafe('SOMETHING_ELSE')).toBe(false);
});

test('only codes that say nothing about the request are retryable', () => {
  expect(sorted(RETRYABLE_CODES)).toEqual(['DEPENDENCY_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE']);
  expect([...RETRYABLE_CODES].every(isErrorCode)).toBe(true);
  expect(isErrorCode('NOT_A_CODE')).toBe(false);
});
