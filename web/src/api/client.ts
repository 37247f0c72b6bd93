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
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: document.toString(), variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', 'The graph did not answer');
  }
  const body = await readBody<TResult>(response);
  const errors = body?.errors ?? [];
  if (!response.ok) throw new ApiError('http', `HTTP ${response.status}`, errors, response.status);
  // A partial answer would leave the page half-drawn, so any error fails the whole request.
  if (errors.length > 0 || !body?.data) throw new ApiError('graphql', errors[0]?.message ?? 'The graph sent no data', errors, response.status);
  return body.data;
}

async function readBody<TResult>(response: Response): Promise<GraphQLBody<TResult> | undefined> {
  try {
    return (await response.json()) as GraphQLBody<TResult>;
  } catch {
    return undefined;
  }
}
