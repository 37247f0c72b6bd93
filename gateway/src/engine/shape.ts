// The response's shape, compiled once per operation (and per value of the
// variables its @skip/@include read): for each object type a selection can
// meet at run time, the fields in the client's order with their types. Shaping
// a request's merged subgraph data is then one walk over what the client
// asked, with GraphQL's completion rules applied as it goes:
// - a null (or missing) non-null field nulls its nearest nullable parent and
//   is reported with the field's path, unless an error already explains it;
// - an object whose __typename names no type the field can return (an
//   @interfaceObject no subgraph resolved, say) is a field error, not a silent null;
// - a leaf value that does not fit its type is a field error.
import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type DirectiveNode,
  type GraphQLCompositeType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** What a field's value must be, wrapper by wrapper. */
export type TypeShape =
  | { kind: 'leaf'; nullable: boolean; fits: (value: unknown) => boolean; name: string }
  | { kind: 'list'; nullable: boolean; of: TypeShape }
  | { kind: 'object'; nullable: boolean; selection: SelectionShape };

export interface FieldShape {
  /** The response name: the alias, or the field's name. */
  key: string;
  /** `__typename`: answered from the object's type, not from the data. */
  typename: boolean;
  parentType: string;
  fieldName: string;
  type: TypeShape;
}

export type Path = (string | number)[];

/** Where shaping records what went wrong, and which paths an earlier error already explains. */
export interface ShapeErrors {
  explained(path: Path): boolean;
  add(error: GraphQLError): void;
}

const INVALID = Symbol('invalid');
type Completed = unknown;

const integer = /^-?(?:0|[1-9][0-9]*)$/;
const BUILT_IN_FITS: Record<string, (value: unknown) => boolean> = {
  Int: (value) => typeof value === 'number' && Number.isFinite(value) && integer.test(String(value)),
  ID: (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && integer.test(String(value))),
  Float: (value) => typeof value === 'number' && Number.isFinite(value),
  String: (value) => typeof value === 'string',
  Boolean: (value) => typeof value === 'boolean',
};
const anyValue = () => true;

/** The fields a selection has on each object type it can meet, compiled for that type the first time it is met. */
export class SelectionShape {
  private readonly byType = new Map<string, FieldShape[] | null>();

  constructor(
    readonly compiler: ShapeCompiler,
    readonly parentType: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  /** The fields for an object of type `typename`; null when no object of that type can be here. */
  fieldsFor(typename: string): FieldShape[] | null {
    let fields = this.byType.get(typename);
    if (fields === undefined) {
      fields = this.compiler.fieldsOn(this.parentType, typename, this.selectionSets);
      this.byType.set(typename, fields);
    }
    return fields;
  }
}

/** Compiles the shape of one operation under one set of @skip/@include values. */
export class ShapeCompiler {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** The values of the variables @skip, @include and @defer read, defaults applied. */
    private readonly conditions: Readonly<Record<string, unknown>>,
  ) {}

  root(type: GraphQLCompositeType, selectionSet: SelectionSetNode): SelectionShape {
    return new SelectionShape(this, type, [selectionSet]);
  }

  fieldsOn(parentType: GraphQLCompositeType, typename: string, selectionSets: readonly SelectionSetNode[]): FieldShape[] | null {
    const runtime = this.schema.getType(typename);
    // An object still typed as its interface (an @interfaceObject no subgraph resolved) answers only
    // a selection that is the same for every type: no __typename, no narrower type condition.
    const untyped = runtime === parentType && isInterfaceType(runtime);
    if (!isObjectType(runtime) && !untyped) return null;
    if (runtime !== parentType && !(isAbstractType(parentType) && isObjectType(runtime) && this.schema.isSubType(parentType, runtime))) return null;
    const grouped = new Map<string, FieldNode[]>();
    for (const selectionSet of selectionSets) this.collect(runtime, selectionSet, grouped, new Set());
    if (untyped && ([...grouped.values()].some((nodes) => nodes[0]!.name.value === '__typename') || selectionSets.some((set) => this.narrows(set, runtime.name, new Set())))) return null;
    const fields: FieldShape[] = [];
    for (const [key, nodes] of grouped) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        fields.push({ key, typename: true, parentType: typename, fieldName: name, type: { kind: 'leaf', nullable: false, fits: anyValue, name: 'String' } });
        continue;
      }
      const definition = (runtime as GraphQLObjectType | GraphQLInterfaceType).getFields()[name];
      if (!definition) throw new Error(`${typename}.${name} is not in the API schema`);
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      fields.push({ key, typename: false, parentType: typename, fieldName: name, type: this.typeShape(definition.type, subSelections, true) });
    }
    return fields;
  }

  private typeShape(type: GraphQLOutputType, selectionSets: SelectionSetNode[], nullable: boolean): TypeShape {
    if (isNonNullType(type)) return this.typeShape(type.ofType, selectionSets, false);
    if (isListType(type)) return { kind: 'list', nullable, of: this.typeShape(type.ofType, selectionSets, true) };
    const named: GraphQLNamedType = getNamedType(type);
    if (isCompositeType(named)) return { kind: 'object', nullable, selection: new SelectionShape(this, named, selectionSets) };
    if (isEnumType(named)) {
      const values = new Set(named.getValues().map((value) => value.name));
      return { kind: 'leaf', nullable, fits: (value) => typeof value === 'string' && values.has(value), name: named.name };
    }
    return { kind: 'leaf', nullable, fits: BUILT_IN_FITS[named.name] ?? anyValue, name: named.name };
  }

  /** The spec's CollectFields for one runtime type; `visited` keeps each named fragment to one visit. */
  private collect(runtime: GraphQLNamedType, selectionSet: SelectionSetNode, grouped: Map<string, FieldNode[]>, visited: Set<string>): void {
    for (const selection of selectionSet.selections) {
      if (!this.included(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = grouped.get(key);
        if (nodes) nodes.push(selection);
        else grouped.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || this.applies(selection.typeCondition.name.value, runtime)) this.collect(runtime, selection.selectionSet, grouped, visited);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = this.fragments.get(name);
        if (fragment && this.applies(fragment.typeCondition.name.value, runtime)) this.collect(runtime, fragment.selectionSet, grouped, visited);
      }
    }
  }

  /** Whether a selection holds a fragment on a type narrower than `typename` (its own fields are not searched). */
  private narrows(selectionSet: SelectionSetNode, typename: string, visited: Set<string>): boolean {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD || !this.included(selection.directives)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== typename) return true;
        if (this.narrows(selection.selectionSet, typename, visited)) return true;
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = this.fragments.get(selection.name.value);
        if (fragment && (fragment.typeCondition.name.value !== typename || this.narrows(fragment.selectionSet, typename, visited))) return true;
      }
    }
    return false;
  }

  private applies(condition: string, runtime: GraphQLNamedType): boolean {
    if (condition === runtime.name) return true;
    const type = this.schema.getType(condition);
    return !!type && isAbstractType(type) && isObjectType(runtime) && this.schema.isSubType(type, runtime);
  }

  private included(directives: FieldNode['directives']): boolean {
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      // A deferred fragment is an answer part of its own, shaped apart (see defer.ts).
      if (name === 'defer' && isDeferActive(directive, this.conditions)) return false;
      if (name !== 'skip' && name !== 'include') continue;
      const argument = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
      const value = argument?.kind === Kind.VARIABLE ? this.conditions[argument.name.value] === true : argument?.kind === Kind.BOOLEAN && argument.value;
      if (name === 'skip' ? value : !value) return false;
    }
    return true;
  }
}

/** Whether a @defer applies: its `if` is true, by default or by a variable's value. */
export function isDeferActive(directive: DirectiveNode, conditions: Readonly<Record<string, unknown>>): boolean {
  const argument = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
  if (!argument) return true;
  return argument.kind === Kind.VARIABLE ? conditions[argument.name.value] === true : argument.kind !== Kind.BOOLEAN || argument.value;
}

/**
 * The client's `data`, shaped from the merged subgraph data; null when a non-null root field is null.
 * `at` is where `input` sits in the response (a deferred part's object), for error paths.
 */
export function shapeData(root: SelectionShape, rootTypename: string, input: Record<string, unknown>, errors: ShapeErrors, at: Path = []): Record<string, unknown> | null {
  const shaped = completeObject(input, root, rootTypename, [...at], errors);
  return shaped === INVALID ? null : (shaped as Record<string, unknown>);
}

function completeObject(input: Record<string, unknown>, selection: SelectionShape, typename: string, path: Path, errors: ShapeErrors): Completed {
  const fields = selection.fieldsFor(typename);
  if (!fields) {
    errors.add(shapeError(`An object at this path has type ${typename}, which ${selection.parentType.name} cannot be.`, path));
    return INVALID;
  }
  const output: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.typename) {
      output[field.key] = typename;
      continue;
    }
    path.push(field.key);
    const value = complete(input[field.key], field.type, field, path, errors);
    path.pop();
    if (value === INVALID) return INVALID;
    output[field.key] = value;
  }
  return output;
}

function complete(value: unknown, type: TypeShape, field: FieldShape, path: Path, errors: ShapeErrors): Completed {
  if (value === null || value === undefined) {
    if (type.nullable) return null;
    if (!errors.explained(path)) errors.add(shapeError(`Cannot return null for non-nullable field ${field.parentType}.${field.fieldName}.`, path));
    return INVALID;
  }
  const completed = completeValue(value, type, field, path, errors);
  return completed === INVALID && type.nullable ? null : completed;
}

function completeValue(value: unknown, type: TypeShape, field: FieldShape, path: Path, errors: ShapeErrors): Completed {
  switch (type.kind) {
    case 'leaf':
      if (type.fits(value)) return value;
      errors.add(shapeError(`A value of ${field.parentType}.${field.fieldName} is not a valid ${type.name}.`, path));
      return INVALID;
    case 'list': {
      if (!Array.isArray(value)) {
        errors.add(shapeError(`${field.parentType}.${field.fieldName} is not a list.`, path));
        return INVALID;
      }
      // Filled by push, not preallocated: an array made with holes stays holey, and JSON.stringify
      // serialises a holey array on its slow path, looking each element up.
      const output: unknown[] = [];
      for (let i = 0; i < value.length; i += 1) {
        path.push(i);
        const item = complete(value[i], type.of, field, path, errors);
        path.pop();
        if (item === INVALID) return INVALID;
        output.push(item);
      }
      return output;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.add(shapeError(`${field.parentType}.${field.fieldName} is not an object.`, path));
        return INVALID;
      }
      const object = value as Record<string, unknown>;
      const parent = type.selection.parentType;
      // Without a __typename, an object of an abstract type is answered as its interface, where the selection allows.
      const typename = isObjectType(parent) ? parent.name : (object.__typename ?? parent.name);
      if (typeof typename !== 'string') {
        errors.add(shapeError(`An object of ${field.parentType}.${field.fieldName} has a __typename that is not a name.`, path));
        return INVALID;
      }
      return completeObject(object, type.selection, typename, path, errors);
    }
  }
}

/** Not safe for clients as it stands: the formatter logs it and answers with the masked error at its path. */
function shapeError(message: string, path: Path): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_SUBGRAPH_RESPONSE' } });
}
