import { expect } from '@jest/globals';
import { AppError, type ErrorCode } from '../errors.js';

/**
 * The expectation of a refused command (for `thenThrows`): an AppError with this code and, when given, this
 * field (`details.field`) and a message matching `message`.
 */
export function refusal(code: ErrorCode, field?: string, message?: string | RegExp): (error: Error) => void {
  return (error) => {
    expect(error).toBeInstanceOf(AppError);
    const err = error as AppError;
    expect(err.code).toBe(code);
    if (field !== undefined) expect(err.details.field).toBe(field);
    if (message !== undefined) expect(err.message).toMatch(message);
  };
}
