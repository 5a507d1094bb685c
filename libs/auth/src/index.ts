export { ROLES, isRole, type AuthActor, type Role } from './roles.js';
export { HttpAppError, InvalidTokenError, RateLimitedError } from './errors.js';
export {
  MIN_SECRET_LENGTH,
  TokenVerifier,
  actorFromClaims,
  issueToken,
  parseDuration,
  type TokenClaims,
  type TokenSettings,
} from './tokens.js';
export { JwksKeySource } from './jwks.js';
export { DEV_SECRET_FILE, resolveJwtSecret } from './secret.js';
export {
  POLICY_METADATA,
  Policies,
  Policy,
  inputField,
  type ArgPicker,
  type AreaResolver,
  type Audience,
  type Decision,
  type PolicyDeps,
  type PolicyRule,
} from './policy.js';
export { PolicyGuard, policyOf } from './policy.guard.js';
export {
  actorOfRequest,
  authErrorOfRequest,
  authenticateRequests,
  type RequestAuthOptions,
} from './request-auth.js';
export { queryLimitRules, type QueryLimits } from './query-limits.js';
export {
  GRAPHIQL_CONTENT_SECURITY_POLICY,
  STRICT_CONTENT_SECURITY_POLICY,
  registerHttpSecurity,
  rejectNulCharacters,
  type HttpSecuritySettings,
  type RateLimitSettings,
} from './http-security.js';
export { httpClientError, type ClientError } from './client-errors.js';
export { PinoNestLogger, REDACTED_PATHS, createLogger, logNestThrough } from './logging.js';
export { PolicyAudit, operationPolicies, type OperationPolicy } from './policy-audit.js';
export { Viewer, ViewerResolver } from './viewer.resolver.js';
export { pilotReadersOnly, visibleTo } from './field-visibility.js';
export { ErrorLoggingFilter, refusalCode, refusalLevel, type RefusalLevel } from './error-logging.js';
