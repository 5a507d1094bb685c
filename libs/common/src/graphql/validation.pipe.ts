import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadUserInputError, type FieldProblem } from '../errors.js';

export function fieldProblems(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) problems.push({ field, message });
    if (e.children?.length) problems.push(...fieldProblems(e.children, field));
  }
  return problems;
}

/** class-validator on every input; a failure is BAD_USER_INPUT naming each field and why. */
export function inputValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const problems = fieldProblems(errors);
      return problems.length > 0 ? new BadUserInputError(problems) : new BadRequestException('Invalid input');
    },
  });
}
