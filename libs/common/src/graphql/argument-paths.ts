import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { type GraphQLField, type GraphQLResolveInfo, getNamedType, isInputObjectType } from 'graphql';
import { type Observable, catchError, throwError } from 'rxjs';
import { AppError, BadUserInputError } from '../errors.js';

/**
 * The one convention for `extensions.field`: the path of the offending value from the operation field's
 * arguments, dot-separated, list items by index: `asOf`, `first`, `filter.status`, `input.amountPence`,
 * `input.milestones.2.dueDate`. Commands and domain rules name fields within their input (`amountPence`); at
 * the edge such a path gets its argument's name in front (see ArgumentPathInterceptor).
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

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Applies the `field` convention to the errors of every root GraphQL field (see ArgumentShape). */
@Injectable()
export class ArgumentPathInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
    if (!info || !ROOT_TYPES.has(info.parentType.name)) return next.handle();
    const field = info.parentType.getFields()[info.fieldName];
    if (!field) return next.handle();
    const shape = argumentShape(field);
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() => (err instanceof AppError ? withArgumentPaths(err, shape) : err)),
        ),
      );
  }
}
