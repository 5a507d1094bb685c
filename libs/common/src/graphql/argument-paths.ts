import { type GraphQLField, type GraphQLResolveInfo, getNamedType, isInputObjectType } from 'graphql';
import { AppError, BadUserInputError } from '../errors.js';

/**
 * The one convention for `extensions.field`: the path of the offending value from the operation field's
 * arguments, dot-separated, list items by index: `asOf`, `first`, `filter.status`, `input.amountPence`,
 * `input.milestones.2.dueDate`. Commands and domain rules name fields within their input (`amountPence`); at
 * the edge such a path gets its argument's name in front (withArgumentPathsOf, which @iap/auth's ErrorLoggingFilter applies to every root field's error).
 */
export interface ArgumentShape {
  /** The field's argument names. */
  readonly names: readonly string[];
  /** The field's only input-object argument (a mutation's `input`), to which other paths belong. */
  readonly input?: string;
}

export function argumentShape(field: Pick<GraphQLField<unknown, unknown>, 'args'>): ArgumentShape {
  const inputs = field.args.filter((a) => isInputObjectType(getNamedType(a.type)));
  return { names: field.args.map((a) => a.name), input: inputs.length === 1 ? inputs[0].name : undefined };
}

function pathFrom(field: string, shape: ArgumentShape): string {
  const head = field.split('.')[0];
  if (!shape.input || shape.names.includes(head)) return field;
  return `${shape.input}.${field}`;
}

/** `err` with every field it names as a path from the arguments (the same error when nothing changes). */
export function withArgumentPaths<E extends AppError>(err: E, shape: ArgumentShape): E | BadUserInputError {
  if (err instanceof BadUserInputError) {
    const problems = err.problems.map((p) => ({ ...p, field: pathFrom(p.field, shape) }));
    if (problems.every((p, i) => p.field === err.problems[i].field)) return err;
    const moved = new BadUserInputError(problems);
    moved.stack = err.stack;
    return moved;
  }
  const field = err.details.field;
  if (typeof field === 'string' && pathFrom(field, shape) !== field)
    Object.assign(err, { details: { ...err.details, field: pathFrom(field, shape) } });
  return err;
}

/** The types whose fields are the operations (root fields). */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * The error of a root field with every field it names as a path from that field's arguments (withArgumentPaths);
 * any other error, or an error of a nested field, as it is.
 */
export function withArgumentPathsOf(err: unknown, info: GraphQLResolveInfo | undefined): unknown {
  if (!(err instanceof AppError) || !info || !ROOT_TYPES.has(info.parentType.name)) return err;
  const field = info.parentType.getFields()[info.fieldName];
  return field ? withArgumentPaths(err, argumentShape(field)) : err;
}
