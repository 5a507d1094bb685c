export * from './errors.js';
export { fieldProblems, inputValidationPipe } from './validation.js';
export { formatGraphQLError, type FormattedError } from './graphql-errors.js';
export { PenceScalar } from './scalars.js';
export {
  MAX_PAGE_SIZE,
  PageInfo,
  Paginated,
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from './pagination.js';
export { JsonScalar } from './json-scalar.js';
