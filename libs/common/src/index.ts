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
export { DateTimeScalar, parseInstant } from './date-time.js';
export { argumentIndex, fieldOfRequestError, type ArgumentIndex } from './request-fields.js';
export {
  ArgumentPathInterceptor,
  argumentShape,
  withArgumentPaths,
  type ArgumentShape,
} from './argument-paths.js';
