// @apollo/gateway checks each subgraph's answer against the supergraph as it
// shapes the response; a value that does not fit (null for a non-null field,
// a string for an Int) becomes null, and what went wrong is put in the
// response's `extensions.valueCompletion`, with messages naming our types and
// values, even though `errors` says nothing. Here those reports are logged and
// replaced by the masked error every other internal failure gets, at the same
// path, so the client learns why the field is null and nothing more. It runs
// before the response cache among the plugins (and without awaiting), so an
// answer with such an error is never cached.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '@interop/kit';
import { GatewayErrorCode } from './__generated__/error-codes';

const KEY = 'valueCompletion';

export function valueCompletionPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const reports = result.extensions?.[KEY];
          if (reports === undefined) return;
          const { [KEY]: _reports, ...extensions } = result.extensions ?? {};
          if (Object.keys(extensions).length > 0) result.extensions = extensions;
          else delete result.extensions;
          const completions = (Array.isArray(reports) ? reports : [reports]) as { message?: unknown; path?: GraphQLFormattedError['path'] }[];
          logger.error({ errors: completions.map(({ message, path }) => ({ message, path })) }, 'a subgraph answer did not fit the supergraph');
          const masked = completions.map(({ path }) => ({
            message: 'Internal server error',
            ...(path ? { path } : {}),
            extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
          }));
          result.errors = [...(result.errors ?? []), ...masked];
        },
      };
    },
  };
}
