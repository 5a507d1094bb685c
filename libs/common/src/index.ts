export * from './errors.js';
export { fieldProblems, inputValidationPipe } from './graphql/validation.pipe.js';
export { formatGraphQLError, type FormattedError } from './graphql/graphql-errors.js';
export { PenceScalar } from './graphql/pence.scalar.js';
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
export { JsonScalar } from './graphql/json.scalar.js';
export { DateTimeScalar, parseInstant } from './graphql/date-time.scalar.js';
export { argumentIndex, fieldOfRequestError, type ArgumentIndex } from './graphql/request-fields.js';
export {
  ArgumentPathInterceptor,
  argumentShape,
  withArgumentPaths,
  type ArgumentShape,
} from './graphql/argument-paths.js';
