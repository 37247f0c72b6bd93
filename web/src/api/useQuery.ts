// Runs a query when the page needs it and again when its variables change;
// an answer that arrives after the variables moved on is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { request } from './client';

export type QueryState<TResult> =
  /** `data` is the previous answer for the same variables while a reload is under way. */
  | { status: 'loading'; data?: TResult | undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: unknown }
  | { status: 'ready'; data: TResult; error?: undefined };

export interface QueryResult<TResult> {
  state: QueryState<TResult>;
  /** Asks again, e.g. after an error or a change elsewhere. */
  reload(): void;
}

export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryResult<TResult> {
  const [state, setState] = useState<QueryState<TResult>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadedKey = useRef<string | undefined>(undefined);
  const key = JSON.stringify(variables);
  const skip = options.skip ?? false;

  useEffect(() => {
    if (skip) return undefined;
    const controller = new AbortController();
    const sameVariables = loadedKey.current === key;
    setState((previous) => ({ status: 'loading', data: sameVariables ? previous.data : undefined }));
    request(document, JSON.parse(key) as TVariables, controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        loadedKey.current = key;
        setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [document, key, skip, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
