// Errors as a person reads them. The graph's codes are a stable contract, so
// the words are chosen by code; messages from the graph are written for people
// already and are shown as they are for rule refusals.

export interface GraphQLErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

export type ApiErrorKind = 'unreachable' | 'http' | 'graphql' | 'setup';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly errors: readonly GraphQLErrorBody[] = [],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The first error's `extensions.code`, e.g. PAYMENT_TOOL_NOT_ACCEPTED. */
  get code(): string | undefined {
    const code = this.errors[0]?.extensions?.['code'];
    return typeof code === 'string' ? code : undefined;
  }
}

const SUBGRAPH_WORDS: Readonly<Record<string, string>> = {
  commerce: 'platform rules',
  payments: 'payments',
  merchants: 'merchants',
  wallet: 'sandbox wallet',
};

function partName(extensions: Record<string, unknown> | undefined): string {
  const name = extensions?.['subgraph'] ?? extensions?.['dependency'];
  return typeof name === 'string' ? (SUBGRAPH_WORDS[name] ?? name) : 'a part of the graph';
}

/** One or two sentences for the page, whatever went wrong. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong in this page. Reload it to start again.';
  switch (error.kind) {
    case 'unreachable':
      return 'The graph is not answering. Check that `npm start` is still running, then try again.';
    case 'setup':
      return `The demo could not load its settings (${error.message}). Reload the page to try again.`;
    case 'http':
      if (error.status === 401 || error.status === 403) return authWords();
      if (error.status === 413) return 'That request was too large for the graph.';
      if (error.errors.length === 0) return `The graph answered with an error (HTTP ${error.status ?? '?'}). Try again in a moment.`;
  }
  const first = error.errors[0];
  switch (error.code) {
    case 'SUBGRAPH_UNAVAILABLE':
      return `The ${partName(first?.extensions)} service is not answering right now. Try again in a moment.`;
    case 'DEPENDENCY_UNAVAILABLE':
      return `The ${partName(first?.extensions)} service did not answer in time, so nothing was changed. Try again in a moment.`;
    case 'GATEWAY_TIMEOUT':
      return `The ${partName(first?.extensions)} service took too long to answer. Try again in a moment.`;
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return authWords();
    case 'INTERNAL_SERVER_ERROR':
      return 'The graph hit an unexpected problem; it is in the graph’s logs. Try again, or pick something else.';
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'GRAPHQL_PARSE_FAILED':
      return 'This page asked the graph something it no longer understands. Rebuild the demo (`npm start` does it) and reload.';
    default:
      return first?.message ?? error.message;
  }
}

function authWords(): string {
  return 'The graph refused the demo’s API key. Start the graph with `npm start` (it sets DEMO_API_KEY for the demo), then reload.';
}
