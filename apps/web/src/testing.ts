import type { OperationError } from './graphql.js';

/**
 * For the web specs: the API's BAD_USER_INPUT refusal of the argument at `path` (`input.title`), as a page's
 * operation receives it (its message "Invalid input.title: must not be blank").
 */
export function badInput(path: string, rule: string): OperationError {
  return { code: 'BAD_USER_INPUT', message: `Invalid ${path}: ${rule}`, field: path, extensions: {} };
}

/** A BAD_USER_INPUT of several problems (`extensions.problems`), each `[path, rule]`, the first in `field`. */
export function badInputs(...problems: [string, string][]): OperationError {
  return {
    code: 'BAD_USER_INPUT',
    message: 'Invalid input: …',
    field: problems[0]?.[0],
    extensions: { problems: problems.map(([field, message]) => ({ field, message })) },
  };
}
