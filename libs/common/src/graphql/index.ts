/**
 * The GraphQL and Nest edge: scalars, connection types, the input validation pipe, errors' argument paths, the
 * schema's plain field reads, and the one formatter that turns every error into what a client sees. The
 * domain never imports this (see `@iap/common` for the plain part).
 */
export { fieldProblems, inputValidationPipe } from './validation.pipe.js';
export { formatGraphQLError, type FormattedError } from './graphql-errors.js';
export { PenceScalar } from './pence.scalar.js';
export { JsonScalar } from './json.scalar.js';
export { DateTimeScalar } from './date-time.scalar.js';
export { PageInfoType, Paginated } from './pagination.types.js';
export { IsAreaCode } from './validators.js';
export { parsedDocument } from './documents.js';
export { withPlainFieldReads } from './plain-fields.js';
export { argumentIndex, fieldOfRequestError, type ArgumentIndex } from './request-fields.js';
export {
  ROOT_TYPES,
  argumentShape,
  withArgumentPaths,
  withArgumentPathsOf,
  type ArgumentShape,
} from './argument-paths.js';
