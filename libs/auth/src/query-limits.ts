import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
} from 'graphql';

export interface QueryLimits {
  /** Most levels of nested fields in one operation (the standard introspection query needs 15). */
  readonly maxDepth: number;
  /** Most estimated field resolutions: each field costs 1, and a list field's subtree counts `first` times. */
  readonly maxComplexity: number;
  /** Serve introspection (`__schema`, `__type`)? GraphiQL needs it. */
  readonly introspection: boolean;
  /** `first` given as a variable (unknown when validating) counts as this many. */
  readonly maxListSize?: number;
  /** A list field whose `first` is not given counts as this many. */
  readonly defaultListSize?: number;
  /** Most mutations in one request (they run one after another; default 10). */
  readonly maxMutations?: number;
}

interface Measure {
  readonly height: number;
  readonly cost: number;
}

const NONE: Measure = { height: 0, cost: 0 };

/**
 * Validation rules that refuse, before anything runs, an operation nested deeper than `maxDepth` (QUERY_TOO_DEEP)
 * or estimated to resolve more than `maxComplexity` fields (QUERY_TOO_COMPLEX); and introspection when it is off.
 * Fragments are measured once each, so a document of repeated spreads cannot make the measuring itself costly.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const maxList = limits.maxListSize ?? 100;
  const defaultList = limits.defaultListSize ?? 20;
  const maxMutations = limits.maxMutations ?? 10;

  const limitsRule: ValidationRule = (context: ValidationContext) => {
    const schema = context.getSchema();
    const fragmentMeasures = new Map<string, Measure>();
    const visiting = new Set<string>();

    const listSize = (node: FieldNode, def: GraphQLField<unknown, unknown>): number => {
      const firstArg = def.args.find((a) => a.name === 'first');
      if (!firstArg) return 1;
      const given = node.arguments?.find((a) => a.name.value === 'first');
      if (!given) return typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : defaultList;
      if (given.value.kind === Kind.VARIABLE) return maxList;
      const value = valueFromASTUntyped(given.value);
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, 1e6) : 1;
    };

    const measureFragment = (fragment: FragmentDefinitionNode): Measure => {
      const name = fragment.name.value;
      const known = fragmentMeasures.get(name);
      if (known) return known;
      if (visiting.has(name)) return NONE; // a cycle: reported by NoFragmentCycles
      visiting.add(name);
      const m = measure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      visiting.delete(name);
      fragmentMeasures.set(name, m);
      return m;
    };

    const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null): Measure => {
      let height = 0;
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const fields =
            parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : undefined;
          const def = fields?.[selection.name.value];
          if (!selection.selectionSet) {
            height = Math.max(height, 1);
            cost += 1;
            continue;
          }
          const child = measure(selection.selectionSet, def ? getNamedType(def.type) : undefined);
          height = Math.max(height, 1 + child.height);
          cost += 1 + (def ? listSize(selection, def) : 1) * child.cost;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          const child = measure(selection.selectionSet, type);
          height = Math.max(height, child.height);
          cost += child.cost;
        } else {
          const fragment = context.getFragment(selection.name.value);
          if (!fragment) continue;
          const child = measureFragment(fragment);
          height = Math.max(height, child.height);
          cost += child.cost;
        }
      }
      return { height, cost };
    };

    return {
      // PostgreSQL cannot store NUL in text: refuse it here rather than as a database error (variables are
      // checked on the HTTP request, see rejectNulCharacters)
      StringValue(node) {
        if (node.value.includes('\u0000'))
          context.reportError(
            new GraphQLError('Text must not contain NUL (\\u0000) characters', {
              nodes: [node],
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          );
      },
      OperationDefinition(node) {
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const { height, cost } = measure(node.selectionSet, root);
        const name = node.name ? `Operation ${node.name.value}` : 'The operation';
        if (node.operation === 'mutation') {
          const mutations = countRootFields(node.selectionSet, context);
          if (mutations > maxMutations) {
            context.reportError(
              new GraphQLError(
                `${name} has ${mutations} mutations: at most ${maxMutations} are allowed in one request`,
                {
                  nodes: [node],
                  extensions: { code: 'QUERY_TOO_COMPLEX', mutations, maxMutations },
                },
              ),
            );
          }
        }
        if (height > limits.maxDepth) {
          context.reportError(
            new GraphQLError(
              `${name} is nested ${height} levels deep: at most ${limits.maxDepth} are allowed`,
              {
                nodes: [node],
                extensions: { code: 'QUERY_TOO_DEEP', depth: height, maxDepth: limits.maxDepth },
              },
            ),
          );
        }
        if (cost > limits.maxComplexity) {
          context.reportError(
            new GraphQLError(
              `${name} is too complex: an estimated ${Math.round(cost)} field resolutions, at most ${limits.maxComplexity} are allowed (ask for fewer fields or smaller pages)`,
              {
                nodes: [node],
                extensions: {
                  code: 'QUERY_TOO_COMPLEX',
                  complexity: Math.round(cost),
                  maxComplexity: limits.maxComplexity,
                },
              },
            ),
          );
        }
        // (no `return false`: the StringValue check must still visit the operation's arguments)
      },
    };
  };

  return limits.introspection ? [limitsRule] : [limitsRule, NoSchemaIntrospectionCustomRule];
}

/** Root fields of an operation, through fragments (each fragment counted once and remembered; cycles cut). */
function countRootFields(
  set: SelectionSetNode,
  context: ValidationContext,
  memo = new Map<string, number>(),
): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, context, memo);
    } else {
      const name = selection.name.value;
      if (!memo.has(name)) {
        memo.set(name, 0); // a cycle counts nothing (NoFragmentCycles reports it)
        const fragment = context.getFragment(name);
        memo.set(name, fragment ? countRootFields(fragment.selectionSet, context, memo) : 0);
      }
      count += memo.get(name)!;
    }
  }
  return count;
}
