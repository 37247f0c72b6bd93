// Text that PostgreSQL cannot store: U+0000 (NUL) is refused by every text
// column and parameter, so an id, key or reference carrying one would fail
// deep in a query as an internal error. Every subgraph refuses it up front,
// in every string argument of every field (nested inputs and lists included),
// with BAD_USER_INPUT naming the argument; HTTP routes check their bodies with
// `hasNul`.
import { defaultFieldResolver, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badUserInput } from './errors';

export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** The path of the first string holding NUL in `args`, like `input.reference` or `ids.2`; null when there is none. */
export function nulArgumentPath(args: Readonly<Record<string, unknown>>): string | null {
  // Paths are built only for arguments that hold a NUL: an `_entities` call's
  // representations are walked on every request, and almost never hold one.
  return holdsNul(args) ? firstNulPath(args) : null;
}

/** Whether any string within `value` holds NUL. A stack, not recursion: a JSON scalar (`_Any`) may nest deeper than the call stack allows. */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (hasNul(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) stack.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const key in next) stack.push((next as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function firstNulPath(args: Readonly<Record<string, unknown>>): string | null {
  const stack: [value: unknown, path: string][] = Object.entries(args).reverse().map(([name, value]) => [value, name]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (hasNul(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value).reverse()) stack.push([inner, `${path}.${key}`]);
    }
  }
  return null;
}

function checked(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args: Record<string, unknown>, context, info) => {
    const path = nulArgumentPath(args);
    if (path !== null) throw badUserInput(path, `${path} must not contain the NUL character (U+0000).`);
    return resolve(source, args, context, info);
  };
}

function guard(field: GraphQLField<unknown, unknown>): void {
  field.resolve = checked(field.resolve ?? defaultFieldResolver);
  if (field.subscribe) field.subscribe = checked(field.subscribe);
}

/** Wraps the resolver of every field that takes arguments; returns the same schema. */
export function refuseNulArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) if (field.args.length > 0) guard(field);
  }
  return schema;
}
