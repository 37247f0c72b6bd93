// Before the gateway reports ready, and again after each new supergraph, it
// runs a few read-only operations through its own engine as an anonymous
// caller would, so its first callers do not pay what a new process pays once
// per operation and in its first few hundred requests: Apollo Server parsing
// and validating, planning and preparing the shaper, each subgraph parsing,
// validating and compiling the operations the plan sends it, and V8
// optimising the code every request runs. (Measured on the 50-merchant page:
// the first 60 after a start cost the subgraphs 9-14 ms of CPU each, once
// warm 3.5-5.)
//
// The warm-up requests reach the subgraphs as any caller's do. None is
// answered by the response cache, counted in the request metrics or written
// to the access log; an operation that fails stops its own warm-up, logged
// with its error code, and never holds readiness back for longer than
// `maxSeconds`.
import type { ApolloServer } from '@apollo/server';
import { getOperationAST, parse, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '@interop/kit';
import { ANONYMOUS } from '@interop/kit/security';
import { newCachePolicy } from '@interop/kit/server';
import { gatewayContext, type GatewayContext } from './context';
import type { PlanEngine } from './engine/plan-engine';
import type { WarmUpSettings } from './defaults';

export interface WarmedOperation {
  /** The operation's name, or the start of its text. */
  operation: string;
  /** How many times it ran. */
  runs: number;
  /** The error code that stopped it, when one did. */
  stoppedBy?: string;
}

const warmUpContext = (): GatewayContext => ({ ...gatewayContext(ANONYMOUS), warmUp: true });

/** Runs each operation up to `settings.requests` times, the operations side by side, each one request at a time. */
export async function warmUp(
  apollo: ApolloServer<GatewayContext>,
  engine: PlanEngine,
  settings: WarmUpSettings,
  logger: Pick<Logger, 'info' | 'warn'>,
  signal?: AbortSignal,
): Promise<readonly WarmedOperation[]> {
  if (settings.requests === 0 || settings.operations.length === 0 || signal?.aborted) return [];
  const started = performance.now();
  const deadline = started + settings.maxSeconds * 1000;
  const goOn = () => performance.now() < deadline && !signal?.aborted;
  const warmed = await Promise.all(settings.operations.map((operation) => warmOperation(apollo, engine, operation, settings.requests, goOn)));
  const ms = Math.round(performance.now() - started);
  // Stopping fails what was in flight: nothing to tell.
  if (signal?.aborted) logger.info({ ms, operations: warmed }, 'warm-up cut short: stopping');
  else {
    for (const stopped of warmed.filter((operation) => operation.stoppedBy)) logger.warn(stopped, 'a warm-up operation failed; it is no longer run');
    logger.info({ ms, operations: warmed }, 'warmed up');
  }
  return warmed;
}

async function warmOperation(
  apollo: ApolloServer<GatewayContext>,
  engine: PlanEngine,
  { query, variables }: WarmUpSettings['operations'][number],
  requests: number,
  goOn: () => boolean,
): Promise<WarmedOperation> {
  const warmed: WarmedOperation = { operation: operationLabel(query), runs: 0 };
  try {
    // The first run goes through Apollo Server's pipeline, which validates the operation and leaves it known to the engine.
    const sets = variables === undefined ? [undefined] : Array.isArray(variables) ? variables : [variables];
    const variablesOf = (run: number) => sets[run % sets.length];
    const firstVariables = variablesOf(0);
    const first = await apollo.executeOperation({ query, ...(firstVariables ? { variables: firstVariables } : {}) }, { contextValue: warmUpContext() });
    warmed.runs = 1;
    const errors = first.body.kind === 'single' ? first.body.singleResult.errors : first.body.initialResult.errors;
    if (errors?.length) return { ...warmed, stoppedBy: codeOf(errors) };
    const known = engine.knownOperation(query, undefined);
    while (known && warmed.runs < requests && goOn()) {
      const running = engine.runKnown(known, variablesOf(warmed.runs), warmUpContext(), newCachePolicy());
      // The plan left the cache, or the supergraph changed under it: the next warm-up takes over.
      if (!running) break;
      const result = await running;
      warmed.runs += 1;
      if (result.errors?.length) return { ...warmed, stoppedBy: codeOf(result.errors) };
    }
    return warmed;
  } catch (error) {
    return { ...warmed, stoppedBy: codeOf([error as GraphQLFormattedError]) };
  }
}

function codeOf(errors: readonly Pick<GraphQLFormattedError, 'extensions'>[]): string {
  const code = errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** The operation's name; an anonymous one is told by its first characters. */
function operationLabel(query: string): string {
  try {
    const name = getOperationAST(parse(query, { noLocation: true }))?.name?.value;
    if (name) return name;
  } catch {
    // Apollo Server tells what is wrong with it on the first run.
  }
  return query.replace(/\s+/g, ' ').trim().slice(0, 40);
}
