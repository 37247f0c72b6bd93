// @defer: an answer in parts. The planner (incremental delivery enabled) puts
// a Defer node in the plan: a primary part, and deferred parts that each wait
// for the fetches they depend on. The engine answers the primary part first
// (the operation without its deferred fragments), then each deferred part as
// its fetches complete, after the part that holds it: one incremental item per
// object at the part's path, shaped for the deferred fragment alone, in the
// format Apollo Client and Apollo Router use (deferSpec=20220824). A null that
// bubbles in a deferred part stays within that part's item.
//
// Each deferred fragment is matched to its part in the plan by label: before
// planning, every @defer the client left unlabelled gets a label of ours, which
// the answer leaves out again.
import { Repeater } from '@repeaterjs/repeater';
import type { DeferNode, PlanNode } from '@apollo/query-planner';
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLError,
  GraphQLNonNull,
  GraphQLSchema,
  GraphQLString,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import Negotiator from 'negotiator';
import type { Logger } from '@interop/kit';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { TypeTests } from './fetch-program';
import { merge, runNode, type PlanRun, type ProgramNode } from './run-plan';
import { isDeferActive, SelectionShape, shapeData, type Path, type ShapeErrors } from './shape';

type Json = Record<string, unknown>;

/** The media type a client names to take an answer in parts. */
const MULTIPART_DEFER = 'multipart/mixed; deferSpec=20220824';

/** @defer as the planner knows it (graphql-js 16 does not define it). */
const DEFER_DIRECTIVE = new GraphQLDirective({
  name: 'defer',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    label: { type: GraphQLString },
    if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true },
  },
});

/** The API schema with @defer, so that operations using it validate. */
export function withDeferDirective(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, DEFER_DIRECTIVE] });
}

/** Whether the request's `accept` takes an answer in parts (Apollo Client sends `multipart/mixed;deferSpec=20220824,application/json`). */
export function acceptsDefer(accept: string | null | undefined): boolean {
  if (!accept) return false;
  // A bare multipart/mixed (or */*) matches the first type better: only a named deferSpec takes the format.
  return new Negotiator({ headers: { accept } }).mediaType(['multipart/mixed', MULTIPART_DEFER]) === MULTIPART_DEFER;
}

/** Apollo Router's refusal of @defer to a client that cannot read parts: HTTP 406. */
export function deferNotAccepted(): GraphQLError {
  return new GraphQLError(`This operation uses @defer: send the HTTP header 'accept: ${MULTIPART_DEFER}, application/json' to receive its answer in parts.`, {
    extensions: { code: GatewayErrorCode.DEFER_BAD_HEADER, http: { status: 406 } },
  });
}

/** A deferred fragment, as its part is shaped: the fragment alone (without @defer) in the selection that holds it. */
interface DeferredFragment {
  selectionSet: SelectionSetNode;
  parentType: GraphQLCompositeType;
}

/** What the engine keeps of an operation's deferred fragments. */
export interface DeferredDocument {
  /** The operation with every @defer labelled: what is planned and shaped. */
  document: DocumentNode;
  fragments: ReadonlyMap<string, DeferredFragment>;
  /** Labels the client did not give: left out of the answer. */
  ours: ReadonlySet<string>;
  /** Each @defer's directive, to tell whether any applies under the request's variables. */
  directives: readonly DirectiveNode[];
  /** The variables @defer's `if` reads: they choose the shape, as @skip's and @include's do. */
  conditionVariables: readonly string[];
}

export class UnsupportedDefer extends Error {}

/** Labels every @defer and notes each deferred fragment; null for an operation without @defer. */
export function labelDefers(document: DocumentNode, schema: GraphQLSchema): DeferredDocument | null {
  const clientLabels: string[] = [];
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer') return;
      found = true;
      const label = node.arguments?.find((argument) => argument.name.value === 'label')?.value;
      if (label?.kind === Kind.STRING) clientLabels.push(label.value);
      else if (label) throw new UnsupportedDefer('a @defer label that is not a string literal');
    },
  });
  if (!found) return null;
  let prefix = 'deferred';
  while (clientLabels.some((label) => label.startsWith(prefix))) prefix = `_${prefix}`;
  const fragments = new Map<string, DeferredFragment>();
  const ours = new Set<string>();
  const directives: DirectiveNode[] = [];
  const conditionVariables = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const labelled = (node: InlineFragmentNode | FragmentSpreadNode): InlineFragmentNode | FragmentSpreadNode | undefined => {
    const defer = node.directives?.find((directive) => directive.name.value === 'defer');
    if (!defer) return undefined;
    const condition = defer.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (condition?.kind === Kind.VARIABLE) conditionVariables.add(condition.name.value);
    let label = (defer.arguments?.find((argument) => argument.name.value === 'label')?.value as { value: string } | undefined)?.value;
    let directive = defer;
    if (label === undefined) {
      label = `${prefix}${ours.size}`;
      ours.add(label);
      directive = { ...defer, arguments: [...(defer.arguments ?? []), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'label' }, value: { kind: Kind.STRING, value: label } }] };
    }
    directives.push(directive);
    const parentType = typeInfo.getParentType();
    if (!parentType) throw new UnsupportedDefer('a @defer outside the schema');
    const others = node.directives!.filter((other) => other !== defer);
    // A fragment spread in more than one place keeps one label: each place is the same fragment.
    if (!fragments.has(label)) fragments.set(label, { selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...node, directives: others }] }, parentType });
    return { ...node, directives: node.directives!.map((other) => (other === defer ? directive : other)) };
  };
  const labelledDocument = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      InlineFragment: { leave: labelled },
      FragmentSpread: { leave: labelled },
    }),
  );
  return { document: labelledDocument, fragments, ours, directives, conditionVariables: [...conditionVariables] };
}

/** Whether any @defer applies under these variable values: the request is then answered in parts. */
export function defersApply(deferred: DeferredDocument, values: Readonly<Record<string, unknown>>): boolean {
  return deferred.directives.some((directive) => isDeferActive(directive, values));
}

/** One step of a deferred part's path: a response key, or a type condition (`... on T`). */
type PathStep = { key: string } | { typeCondition: string };

interface DeferredBlock {
  /** Ids of the fetches whose data this part needs. */
  depends: readonly string[];
  label: string;
  path: readonly PathStep[];
  node?: ProgramNode;
}

export interface DeferProgram {
  kind: 'Defer';
  primary?: ProgramNode;
  deferred: readonly DeferredBlock[];
}

const TYPE_CONDITION = '... on ';

export function compileDefer(node: DeferNode, compile: (child: PlanNode) => ProgramNode): DeferProgram {
  return {
    kind: 'Defer',
    ...(node.primary.node ? { primary: compile(node.primary.node) } : {}),
    deferred: node.deferred.map((deferred) => {
      if (deferred.label === undefined) throw new UnsupportedDefer('a deferred part without a label');
      return {
        depends: deferred.depends.map((dependency) => dependency.id),
        label: deferred.label,
        path: deferred.queryPath.map((step) => (step.startsWith(TYPE_CONDITION) ? { typeCondition: step.slice(TYPE_CONDITION.length) } : { key: step })),
        ...(deferred.node ? { node: compile(deferred.node) } : {}),
      };
    }),
  };
}

/** One object of a deferred part's answer. */
interface IncrementalItem {
  data: Json | null;
  path: Path;
  label?: string;
  errors?: GraphQLFormattedError[];
}

/** A part of the answer: the primary one, or a deferred one; its items go out once the part holding it has. */
class Part {
  sent!: () => void;
  readonly wasSent = new Promise<void>((resolve) => {
    this.sent = resolve;
  });
}

export interface DeferralOptions {
  variables: Readonly<Record<string, unknown>>;
  call: PlanRun['call'];
  deferred: DeferredDocument;
  /** The shape of the primary part under this request's condition values: deferred parts are shaped with its compiler. */
  root: SelectionShape;
  types: TypeTests;
  /** How shaping tells errors a fetch already explains (the engine's rule for the primary part too). */
  shapeErrors(errors: GraphQLError[], failedPaths: (readonly string[])[]): ShapeErrors;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  logger: Logger;
}

/** Deferred fragment shapes, by the primary shape they go with (one per set of condition values). */
const deferredShapes = new WeakMap<SelectionShape, Map<string, SelectionShape>>();

/**
 * One request answered in parts: runs each Defer node's primary part, starts
 * its deferred parts as their fetches complete, and yields each deferred
 * part's payload, serialised, once the part that holds it is out.
 */
export class Deferral {
  private readonly fetches = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private readonly root = new Part();
  /** Deferred parts started and not yet answered. */
  private pending = 0;
  private view: Json | null = null;
  private push: ((payload: string) => unknown) | null = null;
  private stop: (() => void) | null = null;

  constructor(private readonly options: DeferralOptions) {}

  /** The PlanRun of one part: its own errors, and Defer nodes within it deferring from it. */
  runFor(part: Part = this.root): PlanRun {
    const run: PlanRun = {
      variables: this.options.variables,
      call: this.options.call,
      errors: [],
      failedPaths: [],
      defer: (node, data) => this.defer(node, data, run, part),
      fetched: (id) => this.fetch(id).resolve(),
    };
    return run;
  }

  /** Whether a Defer node ran: the answer then comes in parts. */
  get inParts(): boolean {
    return this.pending > 0;
  }

  /**
   * The payloads after the primary part, whose shaped `data` is the client's
   * view that deferred parts are placed in. Nothing goes out before the
   * primary part is written: reading the first payload says it was.
   */
  payloads(primary: Json | null): AsyncIterable<string> {
    this.view = primary;
    return new Repeater<string>((push, stop) => {
      this.push = push;
      this.stop = stop;
      this.root.sent();
    });
  }

  private fetch(id: string): { done: Promise<void>; resolve: () => void } {
    let entry = this.fetches.get(id);
    if (!entry) {
      let resolve!: () => void;
      const done = new Promise<void>((settle) => {
        resolve = settle;
      });
      entry = { done, resolve };
      this.fetches.set(id, entry);
    }
    return entry;
  }

  private async defer(node: DeferProgram, data: Json, run: PlanRun, part: Part): Promise<void> {
    let primaryDone!: () => void;
    const primary = new Promise<void>((resolve) => {
      primaryDone = resolve;
    });
    this.pending += node.deferred.length;
    for (const block of node.deferred) void this.runBlock(block, data, part, primary);
    try {
      if (node.primary) await runNode(node.primary, data, run);
    } finally {
      primaryDone();
    }
  }

  private async runBlock(block: DeferredBlock, data: Json, holder: Part, primaryDone: Promise<void>): Promise<void> {
    const part = new Part();
    const run = this.runFor(part);
    let items: IncrementalItem[];
    try {
      // A fetch the part depends on that the primary part never ran (a condition left it out) is not waited for.
      await Promise.race([Promise.all(block.depends.map((id) => this.fetch(id).done)), primaryDone]);
      if (block.node) await runNode(block.node, data, run);
      await holder.wasSent;
      items = this.items(block, data, run);
    } catch (error) {
      this.options.logger.error({ err: error, label: block.label }, 'unexpected error answering a deferred part');
      await holder.wasSent;
      items = [{ data: null, path: [], errors: [{ message: 'Internal server error', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } }] }];
    }
    this.pending -= 1;
    if (items.length > 0 || this.pending === 0) this.send(items.length > 0 ? { incremental: items, hasNext: this.pending > 0 } : { hasNext: false });
    part.sent();
  }

  /** Only ever after the root part was sent, so the payloads' reader is there. */
  private send(payload: { incremental?: IncrementalItem[]; hasNext: boolean }): void {
    // Serialised now: later parts are merged into the view these objects belong to.
    void this.push!(JSON.stringify(payload));
    if (!payload.hasNext) this.stop!();
  }

  /** The part's items: one per object at its path that the client's view holds and the fragment applies to. */
  private items(block: DeferredBlock, data: Json, run: PlanRun): IncrementalItem[] {
    const shape = this.shapeOf(block.label);
    const found: { path: Path; raw: Json; view: Json }[] = [];
    this.walk(this.view, data, block.path, 0, [], found);
    const sink = this.options.shapeErrors(run.errors, run.failedPaths);
    const items: IncrementalItem[] = [];
    const label = this.options.deferred.ours.has(block.label) ? undefined : block.label;
    for (const { path, raw, view } of found) {
      const parent = shape.parentType;
      const typename = isObjectType(parent) ? parent.name : typeof raw.__typename === 'string' ? raw.__typename : parent.name;
      // A fragment on a type this object is not: nothing deferred here (an unknown type is shaped, and reported).
      if (shape.fieldsFor(typename)?.length === 0) continue;
      const shaped = shapeData(shape, typename, raw, sink, path);
      if (shaped) merge(view, shaped);
      items.push({ data: shaped, path, ...(label !== undefined ? { label } : {}) });
    }
    this.placeErrors(run.errors, items, block.label);
    return items;
  }

  /** Each error goes with the item its path is under; one without (a whole fetch failed) with the first. */
  private placeErrors(errors: GraphQLError[], items: IncrementalItem[], label: string): void {
    if (errors.length === 0) return;
    if (items.length === 0) {
      this.options.logger.warn({ label, errors: errors.map((error) => error.message) }, 'errors of a deferred part with nothing to answer');
      return;
    }
    for (const error of errors) {
      const path = error.path;
      const item = (path && items.find((candidate) => candidate.path.every((element, i) => path[i] === element))) ?? items[0]!;
      (item.errors ??= []).push(this.options.formatError(error.toJSON(), error));
    }
  }

  /** The objects at a part's path, in the client's view and in the merged subgraph data alike. */
  private walk(view: unknown, raw: unknown, steps: readonly PathStep[], at: number, path: Path, found: { path: Path; raw: Json; view: Json }[]): void {
    if (view === null || view === undefined || typeof view !== 'object' || raw === null || raw === undefined || typeof raw !== 'object') return;
    if (Array.isArray(view)) {
      if (!Array.isArray(raw)) return;
      view.forEach((item, i) => this.walk(item, raw[i], steps, at, [...path, i], found));
      return;
    }
    if (at === steps.length) {
      found.push({ path, raw: raw as Json, view: view as Json });
      return;
    }
    const step = steps[at]!;
    if ('typeCondition' in step) {
      if (this.options.types.isOfType(raw as Json, step.typeCondition, true)) this.walk(view, raw, steps, at + 1, path, found);
      return;
    }
    this.walk((view as Json)[step.key], (raw as Json)[step.key], steps, at + 1, [...path, step.key], found);
  }

  private shapeOf(label: string): SelectionShape {
    const root = this.options.root;
    let shapes = deferredShapes.get(root);
    if (!shapes) {
      shapes = new Map();
      deferredShapes.set(root, shapes);
    }
    let shape = shapes.get(label);
    if (!shape) {
      const fragment = this.options.deferred.fragments.get(label);
      if (!fragment) throw new Error(`No deferred fragment is labelled ${label}`);
      shape = new SelectionShape(root.compiler, fragment.parentType, [fragment.selectionSet]);
      shapes.set(label, shape);
    }
    return shape;
  }
}
