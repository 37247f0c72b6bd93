// The federation directives @authenticated and @requiresScopes, enforced by the
// subgraph that owns the field: the SDL says who may read a field (and Sandbox
// shows it), and every resolver of a guarded field or type checks the caller
// the gateway signed before it runs. A refused field is null with its error;
// the rest of the response stands.
import {
  defaultFieldResolver,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated } from './errors';
import { ANONYMOUS, type Caller } from './identity';

/** What a guarded field asks for: a credential, and optionally one of several sets of scopes. */
export interface AccessRule {
  authenticated: boolean;
  /** Alternatives: the caller needs every scope of at least one set. */
  scopeSets: readonly (readonly string[])[];
}

/** The caller's scopes satisfy the rule (`@requiresScopes` implies a credential). */
export function allows(rule: AccessRule, caller: Caller): boolean {
  if (caller.partnerId === null && (rule.authenticated || rule.scopeSets.length > 0)) return false;
  return rule.scopeSets.length === 0 || rule.scopeSets.some((set) => set.every((scope) => caller.scopes.includes(scope)));
}

export function checkAccess(rule: AccessRule, caller: Caller): void {
  if (allows(rule, caller)) return;
  if (caller.partnerId === null) throw unauthenticated();
  throw forbidden('This credential lacks the scope this field needs.', { requiredScopes: rule.scopeSets });
}

function ruleOf(directives: readonly ConstDirectiveNode[]): AccessRule | null {
  let authenticated = false;
  const scopeSets: string[][] = [];
  for (const directive of directives) {
    if (directive.name.value === 'authenticated') authenticated = true;
    if (directive.name.value === 'requiresScopes') {
      const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
      const value = argument ? valueFromASTUntyped(argument.value) : [];
      for (const set of value as unknown[]) scopeSets.push((set as unknown[]).map(String));
    }
  }
  return authenticated || scopeSets.length > 0 ? { authenticated, scopeSets } : null;
}

function directivesOf(node: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null | undefined; extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[] }): ConstDirectiveNode[] {
  return [...(node.astNode?.directives ?? []), ...(node.extensionASTNodes ?? []).flatMap((extension) => extension.directives ?? [])];
}

function combine(a: AccessRule | null, b: AccessRule | null): AccessRule | null {
  if (!a) return b;
  if (!b) return a;
  // Both must hold: every pair of alternatives merges into one set.
  const scopeSets =
    a.scopeSets.length === 0 ? b.scopeSets : b.scopeSets.length === 0 ? a.scopeSets : a.scopeSets.flatMap((x) => b.scopeSets.map((y) => [...x, ...y]));
  return { authenticated: a.authenticated || b.authenticated, scopeSets };
}

const callerOf = (context: unknown): Caller => (context as { caller?: Caller } | null)?.caller ?? ANONYMOUS;

function guard(field: GraphQLField<unknown, unknown>, rule: AccessRule): void {
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    checkAccess(rule, callerOf(context));
    return resolve(source, args, context, info);
  };
}

/** Wraps the resolvers of every field the SDL guards; returns the same schema. */
export function enforceAccessDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = ruleOf(directivesOf(type as GraphQLObjectType));
    for (const field of Object.values(type.getFields())) {
      const rule = combine(typeRule, ruleOf(directivesOf(field)));
      if (rule) guard(field, rule);
    }
  }
  return schema;
}
