// Runs a compiled query plan for one request: Sequence, Parallel, Flatten,
// Fetch and Condition nodes over one data tree. Each subgraph answer is parsed
// once and merged in place; an entity fetch sends each distinct
// representation once, however many places in the answer hold that entity.
import { GraphQLError } from 'graphql';
import type { DeferProgram } from './defer';
import type { FetchProgram } from './fetch-program';
import type { Path } from './shape';

type Json = Record<string, unknown>;

/** @apollo/gateway's code for a subgraph error that carries none of its own (masked for clients, as any unknown code). */
const DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR';

export type ProgramNode =
  | { kind: 'Fetch'; fetch: FetchProgram; id?: string }
  | { kind: 'Flatten'; path: readonly string[]; fetch: FetchProgram; id?: string }
  | { kind: 'Sequence' | 'Parallel'; nodes: readonly ProgramNode[] }
  | { kind: 'Condition'; variable: string; ifClause?: ProgramNode; elseClause?: ProgramNode }
  | DeferProgram;

/** A subgraph's answer, parsed. */
export interface SubgraphAnswer {
  data?: Json | null;
  errors?: readonly SubgraphError[];
  extensions?: Json;
}

export interface SubgraphError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: Json;
}

/** What running a plan needs from the request: its variables, how to call a subgraph, where errors go. */
export interface PlanRun {
  variables: Readonly<Record<string, unknown>>;
  /** Sends one subgraph request; resolves to its parsed answer, or rejects with the error the client gets. */
  call(fetch: FetchProgram, variablesJson: string): Promise<SubgraphAnswer>;
  errors: GraphQLError[];
  /** Paths (with `@` for any list index) under which a failed fetch left data missing: shaping adds no null errors there. */
  failedPaths: (readonly string[])[];
  /** Runs a Defer node (see defer.ts); absent when the request is answered in one part. */
  defer?(node: DeferProgram, data: Json): Promise<void>;
  /** Told when a fetch that deferred parts depend on (a fetch with an id) is done, failed or not. */
  fetched?(id: string): void;
}

export async function runNode(node: ProgramNode, data: Json, run: PlanRun): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(child, data, run);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(child, data, run)));
      return;
    case 'Condition': {
      const branch = run.variables[node.variable] === true ? node.ifClause : node.elseClause;
      if (branch) await runNode(branch, data, run);
      return;
    }
    case 'Fetch':
      await guarded(node.fetch, [], run, () => rootFetch(node.fetch, data, run));
      if (node.id !== undefined) run.fetched?.(node.id);
      return;
    case 'Flatten':
      await guarded(node.fetch, node.path, run, () => entityFetch(node.fetch, node.path, data, run));
      if (node.id !== undefined) run.fetched?.(node.id);
      return;
    case 'Defer':
      if (!run.defer) throw new Error('A Defer node in a request answered in one part');
      return run.defer(node, data);
  }
}

async function guarded(fetch: FetchProgram, path: readonly string[], run: PlanRun, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    run.failedPaths.push(path);
    run.errors.push(error instanceof GraphQLError ? error : new GraphQLError(`The ${fetch.serviceName} subgraph answered what the gateway cannot read.`, { originalError: error as Error, extensions: { serviceName: fetch.serviceName } }));
  }
}

function usedVariables(fetch: FetchProgram, variables: Readonly<Record<string, unknown>>): string {
  if (fetch.variableUsages.length === 0) return '';
  const used: Json = {};
  for (const name of fetch.variableUsages) if (variables[name] !== undefined) used[name] = variables[name];
  const text = JSON.stringify(used);
  return text === '{}' ? '' : text.slice(1, -1);
}

async function rootFetch(fetch: FetchProgram, data: Json, run: PlanRun): Promise<void> {
  const answer = await run.call(fetch, `{${usedVariables(fetch, run.variables)}}`);
  addErrors(answer, fetch, (path) => [[...path]], run);
  const received = answer.data;
  if (!received) return;
  fetch.rewriteOutput?.(received);
  merge(data, received);
}

async function entityFetch(fetch: FetchProgram, path: readonly string[], data: Json, run: PlanRun): Promise<void> {
  const entities: Json[] = [];
  collect(data, path, 0, entities);
  if (entities.length === 0) return;
  const represent = fetch.represent;
  // Each distinct representation is sent once; `sentFor[i]` is the index of entity i's representation, or -1.
  const texts: string[] = [];
  const indexOf = new Map<string, number>();
  const sentFor = new Int32Array(entities.length).fill(-1);
  for (let i = 0; i < entities.length; i += 1) {
    const representation = represent ? represent(entities[i]!) : null;
    if (!representation) continue;
    fetch.rewriteInput?.(representation);
    const text = JSON.stringify(representation);
    let index = indexOf.get(text);
    if (index === undefined) {
      index = texts.length;
      texts.push(text);
      indexOf.set(text, index);
    }
    sentFor[i] = index;
  }
  if (texts.length === 0) return;
  const others = usedVariables(fetch, run.variables);
  const answer = await run.call(fetch, `{${others ? `${others},` : ''}"representations":[${texts.join(',')}]}`);
  if (answer.errors?.length) {
    const paths = entityPaths(data, path);
    addErrors(answer, fetch, (errorPath) => {
      if (errorPath[0] !== '_entities') return [[...path, ...errorPath]];
      // An error for the whole `_entities` field (a resolver that failed the list) holds for every entity at the
      // Flatten path: it is reported once, without a path, and explains the nulls it leaves there.
      if (typeof errorPath[1] !== 'number') {
        run.failedPaths.push(path);
        return [];
      }
      // One error per place that holds the entity: each of those fields is null for its own reason.
      const holders: Path[] = [];
      for (let i = 0; i < entities.length; i += 1) if (sentFor[i] === errorPath[1]) holders.push([...(paths[i] ?? []), ...errorPath.slice(2)]);
      return holders;
    }, run);
  }
  if (!answer.data) return;
  const received = answer.data._entities;
  if (!Array.isArray(received) || received.length !== texts.length) throw new Error(`${fetch.serviceName} answered _entities that do not match the representations sent`);
  for (const entity of received) if (entity && typeof entity === 'object') fetch.rewriteOutput?.(entity as Json);
  for (let i = 0; i < entities.length; i += 1) {
    const index = sentFor[i]!;
    if (index < 0) continue;
    const entity = received[index] as Json | null;
    if (!entity) continue;
    const target = entities[i]!;
    if (entity.__typename === undefined && target.__typename !== undefined) entity.__typename = target.__typename;
    merge(target, entity);
  }
}

/** The objects at `path` (`@` flattens a list), nulls left out. */
function collect(value: unknown, path: readonly string[], at: number, into: Json[]): void {
  if (value === null || value === undefined) return;
  if (at === path.length) {
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && item !== undefined) into.push(item as Json);
    } else into.push(value as Json);
    return;
  }
  if (path[at] === '@') {
    if (Array.isArray(value)) for (const item of value) collect(item, path, at + 1, into);
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value)) collect((value as Json)[path[at]!], path, at + 1, into);
}

/** The response path of each object `collect` finds, in the same order; computed only when errors need them. */
function entityPaths(data: Json, path: readonly string[]): Path[] {
  const paths: Path[] = [];
  const walk = (value: unknown, at: number, prefix: Path) => {
    if (value === null || value === undefined) return;
    if (at === path.length) {
      if (Array.isArray(value)) value.forEach((item, i) => item !== null && item !== undefined && paths.push([...prefix, i]));
      else paths.push(prefix);
      return;
    }
    if (path[at] === '@') {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, at + 1, [...prefix, i]));
      return;
    }
    if (typeof value === 'object' && !Array.isArray(value)) walk((value as Json)[path[at]!], at + 1, [...prefix, path[at]!]);
  };
  walk(data, 0, []);
  return paths;
}

/** A subgraph's errors in the client's answer: at the client's paths, with the subgraph named. */
function addErrors(answer: SubgraphAnswer, fetch: FetchProgram, toClientPaths: (path: readonly (string | number)[]) => Path[], run: PlanRun): void {
  for (const error of answer.errors ?? []) {
    const extensions = { ...error.extensions, code: error.extensions?.code ?? DOWNSTREAM_SERVICE_ERROR, serviceName: fetch.serviceName };
    const message = error.message || `Error while fetching subquery from service "${fetch.serviceName}"`;
    const paths = Array.isArray(error.path) ? toClientPaths(error.path) : [];
    if (paths.length === 0) run.errors.push(new GraphQLError(message, { extensions }));
    for (const path of paths) run.errors.push(new GraphQLError(message, { path, extensions }));
  }
}

/** Merges a subgraph's answer into the data tree, as @apollo/gateway's deepMerge does, without copying. */
export function merge(target: Json, source: Json): void {
  for (const key in source) {
    const value = source[key];
    if (value === undefined) continue;
    const existing = target[key];
    if (existing && typeof existing === 'object' && value && typeof value === 'object') {
      if (Array.isArray(existing) && Array.isArray(value)) {
        if (existing.length !== value.length) target[key] = value;
        else
          for (let i = 0; i < value.length; i += 1) {
            const from = value[i];
            const to = existing[i];
            if (to && typeof to === 'object' && !Array.isArray(to) && from && typeof from === 'object' && !Array.isArray(from)) merge(to as Json, from as Json);
            else existing[i] = from;
          }
      } else if (!Array.isArray(existing) && !Array.isArray(value)) merge(existing as Json, value as Json);
      else target[key] = value;
    } else target[key] = value;
  }
}
