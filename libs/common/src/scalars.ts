import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, type ValueNode } from 'graphql';

function toPence(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError(`Pence must be a whole number of pence, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** Money as a whole number of pence. Unlike Int (32-bit), holds any safe integer: the programme's £50m too. */
@Scalar('Pence', () => PenceScalar)
export class PenceScalar implements CustomScalar<number, number> {
  description = 'An amount of money in whole pence (a safe integer; £1 = 100)';

  parseValue(value: unknown): number {
    return toPence(value);
  }

  serialize(value: unknown): number {
    return toPence(typeof value === 'string' ? Number(value) : value);
  }

  parseLiteral(ast: ValueNode): number {
    if (ast.kind !== Kind.INT)
      throw new GraphQLError('Pence must be a whole number', { extensions: { code: 'BAD_USER_INPUT' } });
    return toPence(Number(ast.value));
  }
}
