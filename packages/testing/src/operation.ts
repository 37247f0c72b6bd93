// Runs one operation on an unstarted subgraph server (`createSubgraphApollo`)
// with a given context, the way the subgraph-level tests exercise resolvers
// without HTTP.
import type { ApolloServer, BaseContext } from '@apollo/server';
import { Kind, parse, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';

export async function execute<TData, TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  contextValue: TContext,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<FormattedExecutionResult<TData>> {
  const response = await server.executeOperation<TData>({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('Expected a single result');
  return response.body.singleResult;
}

/** The data of a result that must have no errors. */
export function dataOf<TData>(result: FormattedExecutionResult<TData>): TData {
  expect(result.errors).toBeUndefined();
  if (result.data === undefined || result.data === null) throw new Error('Expected data');
  return result.data;
}

/** What a client may branch on in each error: code, path and the named argument or dependency. */
export function errorsOf(result: { errors?: readonly GraphQLFormattedError[] | undefined }) {
  return (result.errors ?? []).map((error) => ({
    code: error.extensions?.code,
    path: error.path,
    ...(error.extensions?.argument === undefined ? {} : { argument: error.extensions.argument }),
    ...(error.extensions?.dependency === undefined ? {} : { dependency: error.extensions.dependency }),
  }));
}

/** The `@key` fields of each type in a subgraph's `_service.sdl`, e.g. `{ Platform: ['id'] }`. */
export function entityKeys(sdl: string): Record<string, string[]> {
  const keys: Record<string, string[]> = {};
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) (keys[definition.name.value] ??= []).push(fields.value);
    }
  }
  return keys;
}
