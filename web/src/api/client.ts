// Sends a generated, typed operation to the gateway with plain fetch. The
// demo's API key goes with every request, so payment mutations pass once the
// graph asks who is calling.
import type { TypedDocumentString } from '../gql/graphql';
import { demoConfig } from './config';
import { ApiError, type GraphQLErrorBody } from './errors';

/** The gateway's GraphQL path on the demo's own origin: queries and mutations POST here, subscriptions open a WebSocket here. */
export const GRAPHQL_PATH = '/graphql';

interface GraphQLBody<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorBody[];
}

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  let apiKey: string;
  try {
    ({ apiKey } = await demoConfig());
  } catch (error) {
    throw new ApiError('setup', error instanceof Error ? error.message : String(error));
  }
  // Each operation is a trusted document: named by its hash alone, as the gateway's manifest lists it.
  // A gateway without the manifest says PERSISTED_QUERY_NOT_FOUND, and gets the text instead.
  const hash = documentHash(document);
  let response = await send(hash ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { query: document.toString(), variables }, apiKey, signal);
  let body = await readBody<TResult>(response);
  if (hash && body?.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    response = await send({ query: document.toString(), variables }, apiKey, signal);
    body = await readBody<TResult>(response);
  }
  const errors = body?.errors ?? [];
  if (!response.ok) throw new ApiError('http', `HTTP ${response.status}`, errors, response.status);
  // A partial answer would leave the page half-drawn, so any error fails the whole request.
  if (errors.length > 0 || !body?.data) throw new ApiError('graphql', errors[0]?.message ?? 'The graph sent no data', errors, response.status);
  return body.data;
}

async function send(payload: unknown, apiKey: string, signal: AbortSignal | undefined): Promise<Response> {
  try {
    return await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(payload),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', 'The graph did not answer');
  }
}

/** The document's SHA-256 from the persisted-documents manifest codegen wrote (`sha256:<hex>`), as hex. */
function documentHash(document: { __meta__?: Record<string, unknown> | undefined }): string | undefined {
  const hash: unknown = document.__meta__?.hash;
  return typeof hash === 'string' && hash.startsWith('sha256:') ? hash.slice('sha256:'.length) : undefined;
}

async function readBody<TResult>(response: Response): Promise<GraphQLBody<TResult> | undefined> {
  try {
    return (await response.json()) as GraphQLBody<TResult>;
  } catch {
    return undefined;
  }
}
