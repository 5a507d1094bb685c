export * from './errors.js';
export { fieldProblems, inputValidationPipe } from './validation.js';
export { formatGraphQLError, type FormattedError } from './graphql-errors.js';
