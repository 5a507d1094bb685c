import {
  type ASTNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type ValueNode,
  coerceInputValue,
  isInputType,
  typeFromAST,
  visit,
} from 'graphql';

/**
 * Where each argument value of a document sits, as the `field` of a BAD_USER_INPUT error: the path from the
 * field's arguments, e.g. `asOf`, `filter.status`, `input.amountPence`, `input.milestones.2.dueDate`.
 */
export interface ArgumentIndex {
  /** Start offset of an argument, object field or value node: its path. */
  readonly at: Map<number, string>;
  /** Variable name: the path of the first argument (or input field) it is passed to. */
  readonly variables: Map<string, string>;
}

export function argumentIndex(document: DocumentNode): ArgumentIndex {
  const at = new Map<number, string>();
  const variables = new Map<string, string>();
  const walk = (value: ValueNode, path: string) => {
    if (value.loc && !at.has(value.loc.start)) at.set(value.loc.start, path);
    if (value.kind === Kind.VARIABLE) {
      if (!variables.has(value.name.value)) variables.set(value.name.value, path);
    } else if (value.kind === Kind.OBJECT) {
      for (const f of value.fields) {
        const inner = `${path}.${f.name.value}`;
        if (f.loc) at.set(f.loc.start, inner);
        walk(f.value, inner);
      }
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((v, i) => walk(v, `${path}.${i}`));
    }
  };
  visit(document, {
    Argument(node) {
      if (node.loc) at.set(node.loc.start, node.name.value);
      walk(node.value, node.name.value);
      return false;
    },
  });
  return { at, variables };
}

/** `.a[2].b` (graphql's printPathArray) → `.a.2.b`. */
const dotted = (path: readonly (string | number)[]) => path.map((p) => `.${p}`).join('');

const MISSING_FIELD =
  /^Field "(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)" of required type "[^"]*" was not provided\.$/;
const UNKNOWN_FIELD = /^Field "([^"]{1,100})" is not defined by type "[^"]*"\./;
const MISSING_ARGUMENT = /^Field "[^"]*" argument "([A-Za-z_]\w*)" of type "[^"]*" is required/;
const VARIABLE = /^Variable "\$([A-Za-z_]\w*)" /;

function startOf(node: ASTNode | undefined): number | undefined {
  return node?.loc?.start;
}

/** The field an inner coercion message names (a missing or unknown input field), if any. */
function namedInMessage(message: string): string | undefined {
  const at = message.lastIndexOf('; ');
  const tail = at < 0 ? message : message.slice(at + 2);
  return MISSING_FIELD.exec(tail)?.[1] ?? UNKNOWN_FIELD.exec(tail)?.[1];
}

/**
 * For GraphQL's own refusals of argument values (validation of literals, coercion of variables): the path of the
 * offending argument or input field, or undefined when the error is not about one value.
 */
export function fieldOfRequestError(
  error: GraphQLError,
  index: ArgumentIndex,
  context: {
    schema?: GraphQLSchema;
    variables?: Readonly<Record<string, unknown>> | null;
    /** How many errors of each variable were already placed (one request may have several). */
    seen?: Map<string, number>;
  },
): string | undefined {
  const node = error.nodes?.[0];
  const variable = VARIABLE.exec(error.message)?.[1];
  if (variable) {
    const base = index.variables.get(variable) ?? variable;
    // A variable coercion error: run the same coercion again for the path inside the variable's value.
    if (node?.kind === Kind.VARIABLE_DEFINITION && context.schema) {
      const type = typeFromAST(context.schema, node.type);
      const value = context.variables?.[variable];
      if (type && isInputType(type) && value !== undefined && value !== null) {
        const problems: string[] = [];
        coerceInputValue(value, type, (path, _invalid, inner) => {
          const named = namedInMessage(inner.message);
          problems.push(`${base}${dotted(path)}${named ? `.${named}` : ''}`);
        });
        const n = context.seen?.get(variable) ?? 0;
        context.seen?.set(variable, n + 1);
        if (problems.length > 0) return problems[Math.min(n, problems.length - 1)];
      }
    }
    return base;
  }
  const missingArgument = MISSING_ARGUMENT.exec(error.message)?.[1];
  if (missingArgument) return missingArgument;
  const start = startOf(node);
  if (start === undefined) return undefined;
  const path = index.at.get(start);
  if (path === undefined) return undefined;
  const missing = MISSING_FIELD.exec(error.message)?.[1];
  return missing ? `${path}.${missing}` : path;
}
