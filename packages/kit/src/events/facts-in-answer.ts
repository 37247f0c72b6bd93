// A subgraph names, in its answer, the fact changes the request made (the
// `factsChanged` extension), so the gateway that carried the request moves
// its response cache before its own answer leaves: the caller's next query
// sees the change even when the event bus delivers it later. Other gateways
// still hear of it on the bus (fact-event).
import type { ApolloServerPlugin } from '@apollo/server';
import { requestScope } from '../request-scope';

/** The answer's extension that lists the ids of the fact changes its request made. */
export const FACTS_CHANGED_EXTENSION = 'factsChanged';

// Bounds what a gateway reads from one answer; a request changes a few facts at most.
const MAX_CHANGES = 100;
const CHANGE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Notes a change made by the request being served, if any (a change made outside a request has no answer to name it in). */
export function noteFactsChanged(change: string): void {
  const scope = requestScope.getStore();
  if (scope) (scope.factsChanged ??= []).push(change);
}

/** Adds the extension to the answer of every request that changed facts. */
export function factsChangedInAnswer(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const changed = requestScope.getStore()?.factsChanged;
          if (!changed?.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [FACTS_CHANGED_EXTENSION]: [...changed] };
        },
      };
    },
  };
}

/** The change ids an answer's extensions name; anything malformed is ignored. */
export function factsChangedIn(extensions: Record<string, unknown> | undefined): string[] {
  const named = extensions?.[FACTS_CHANGED_EXTENSION];
  if (!Array.isArray(named)) return [];
  return named.slice(0, MAX_CHANGES).filter((change): change is string => typeof change === 'string' && CHANGE_ID.test(change));
}
