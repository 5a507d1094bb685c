import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ValueNode } from 'graphql';
import { ScalarInputError } from '../errors.js';

function toPence(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ScalarInputError(
      `Pence must be a whole number of pence (a safe integer), got ${String(JSON.stringify(value)).slice(0, 80)}`,
    );
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
    if (ast.kind !== Kind.INT) throw new ScalarInputError('Pence must be a whole number of pence');
    return toPence(Number(ast.value));
  }
}
