/**
 * What every layer may use, the domain included: plain TypeScript with no framework (no Nest, GraphQL or
 * class-validator). The rules of values every context shares (the ONS area code, UUIDs) are here, once. The domain errors carry a stable code; the GraphQL edge (`@iap/common/graphql`) turns them
 * into GraphQL errors in one place (formatGraphQLError).
 */
export * from './errors.js';
export {
  MAX_DOWNLOAD_PAGE_SIZE,
  MAX_PAGE_SIZE,
  byText,
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
  type PageInfo,
} from './pagination.js';
export { INSTANT_MESSAGE, parseInstant } from './instant.js';
export {
  ONS_LOCAL_AUTHORITY_CODE,
  ONS_LOCAL_AUTHORITY_CODE_MESSAGE,
  UUID,
  requireAreaCode,
} from './identifiers.js';
