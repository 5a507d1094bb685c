import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { QueryLimits, RateLimitSettings, TokenSettings } from '@iap/auth';
// The file itself, not @iap/auth's index (which loads NestJS, GraphQL and Fastify's plugins): the CLI's
// token:issue reads the configuration and must start fast.
import { resolveJwtSecret } from '../../../libs/auth/src/secret.js';
import type { WebSettings } from '../../web/src/web.js';
import type { DatabasePools, DatabaseTimeouts } from './core.module.js';

export interface AppConfig {
  /** PostgreSQL for read models (and events, by default). Unset: an embedded server is started. */
  readonly databaseUrl?: string;
  /** A streaming replica of DATABASE_URL that query operations read from (DATABASE_READ_URL). */
  readonly databaseReadUrl?: string;
  /** When set, events are stored in EventStoreDB / KurrentDB. */
  readonly eventStoreConnectionString?: string;
  readonly port: number;
  readonly host: string;
  /** Where the embedded PostgreSQL keeps its data. */
  readonly dataDir: string;
  /** Serve the GraphiQL page at /graphiql. */
  readonly graphiql: boolean;
  readonly logLevel: string;
  /** LOG_FORMAT: JSON lines (`json`), or readable coloured lines for a person at a terminal (`pretty`). */
  readonly logFormat: LogFormat;
  /** NODE_ENV=production: GraphiQL and introspection off by default, a configured JWT secret or JWKS required. */
  readonly production: boolean;
  /** HS256 secret for bearer tokens (JWT_SECRET). */
  readonly jwtSecret?: string;
  /** JWKS URL of an identity provider whose RS256 tokens are accepted (JWT_JWKS_URL). */
  readonly jwtJwksUrl?: string;
  readonly jwtIssuer?: string;
  readonly jwtAudience?: string;
  /** Browser origins allowed to call the API (CORS_ORIGINS, comma-separated). */
  readonly corsOrigins: readonly string[];
  readonly rateLimitMax: number;
  readonly rateLimitWindowMs: number;
  readonly bodyLimitBytes: number;
  readonly queryMaxDepth: number;
  readonly queryMaxComplexity: number;
  /** Answer GraphQL introspection (GraphiQL needs it). */
  readonly introspection: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for per-address rate limits). */
  readonly trustProxy: boolean;
  /** Query results the read-model cache keeps (READ_CACHE_ENTRIES; 0 turns it off). */
  readonly readCacheEntries: number;
  /** How long a mutation waits for its read models before answering from its events (READ_YOUR_WRITES_WAIT_MS). */
  readonly readYourWritesWaitMs: number;
  readonly databaseTimeouts: DatabaseTimeouts;
  readonly databasePools: DatabasePools;
  /** The web pages' settings (sessions, sign-in, returns due). */
  readonly web: WebConfig;
}

/** What the web service is configured with (apps/web); the session secret falls back to the token secret. */
export interface WebConfig {
  /** SESSION_SECRET (at least 32 characters): required in production. */
  readonly sessionSecret?: string;
  readonly sessionIdleMinutes: number;
  readonly returnDueDays: number;
  /** UPLOAD_MAX_BYTES: the largest spreadsheet return accepted (default 5 MB). */
  readonly uploadMaxBytes: number;
  /** The service's address as its users reach it (PUBLIC_URL), for the identity provider's redirect. */
  readonly publicUrl?: string;
  readonly oidc?: {
    readonly issuerUrl: string;
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly roleClaim: string;
    readonly areaClaim: string;
    readonly nameClaim: string;
  };
}

/** What createApp needs to authenticate, authorise and limit requests. */
export interface SecurityOptions {
  readonly tokens: TokenSettings;
  readonly corsOrigins: readonly string[];
  readonly rateLimit: RateLimitSettings;
  readonly bodyLimitBytes: number;
  readonly queryLimits: QueryLimits;
  readonly logLevel: string;
  /** Default `json`. */
  readonly logFormat?: LogFormat;
  readonly trustProxy?: boolean;
}

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT, or unset: `pretty` when stdout is a terminal, else `json`. */
export function logFormat(value: string | undefined, tty: boolean): LogFormat {
  if (value === undefined || value === '') return tty ? 'pretty' : 'json';
  if (value === 'json' || value === 'pretty') return value;
  throw new Error(`LOG_FORMAT must be json or pretty, got "${value}"`);
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/**
 * How long the server waits on its database before answering UNAVAILABLE (503) instead of hanging: for a
 * connection (DATABASE_CONNECT_TIMEOUT_MS), a lock (DATABASE_LOCK_TIMEOUT_MS) and a whole statement
 * (DATABASE_STATEMENT_TIMEOUT_MS). The CLI sets none (a rebuild's statements may run long).
 */
export function databaseTimeouts(env: NodeJS.ProcessEnv = process.env): DatabaseTimeouts {
  return {
    connectMs: int('DATABASE_CONNECT_TIMEOUT_MS', env.DATABASE_CONNECT_TIMEOUT_MS, 2000, 100, 600_000),
    lockMs: int('DATABASE_LOCK_TIMEOUT_MS', env.DATABASE_LOCK_TIMEOUT_MS, 2000, 0, 600_000),
    statementMs: int(
      'DATABASE_STATEMENT_TIMEOUT_MS',
      env.DATABASE_STATEMENT_TIMEOUT_MS,
      15_000,
      0,
      3_600_000,
    ),
  };
}

/**
 * The server's pools of read-model connections: one for requests (DATABASE_POOL_SIZE, default 10) and one for the
 * projections' batches (DATABASE_PROJECTION_POOL_SIZE, default 3). The event store, the projection leadership, the
 * read replica and asOf snapshots have connections of their own besides.
 */
export function databasePools(env: NodeJS.ProcessEnv = process.env): DatabasePools {
  return {
    requests: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 1000),
    projections: int('DATABASE_PROJECTION_POOL_SIZE', env.DATABASE_PROJECTION_POOL_SIZE, 3, 1, 100),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a TCP port, got "${env.PORT}"`);
  const production = env.NODE_ENV === 'production';
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) throw new Error(`JWT_JWKS_URL must be an http(s) URL`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    graphiql: flag(env.GRAPHIQL, !production),
    logLevel: env.LOG_LEVEL ?? 'info',
    logFormat: logFormat(env.LOG_FORMAT, process.stdout.isTTY === true),
    production,
    jwtSecret: env.JWT_SECRET || undefined,
    jwtJwksUrl: jwksUrl,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    rateLimitMax: int('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX, 600, 1, 1_000_000_000),
    rateLimitWindowMs: int('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS, 60_000, 1_000, 86_400_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 1024 * 1024, 1024, 100 * 1024 * 1024),
    queryMaxDepth: int('QUERY_MAX_DEPTH', env.QUERY_MAX_DEPTH, 15, 2, 100),
    queryMaxComplexity: int('QUERY_MAX_COMPLEXITY', env.QUERY_MAX_COMPLEXITY, 20_000, 10, 10_000_000),
    readCacheEntries: int('READ_CACHE_ENTRIES', env.READ_CACHE_ENTRIES, 1000, 0, 1_000_000),
    readYourWritesWaitMs: int('READ_YOUR_WRITES_WAIT_MS', env.READ_YOUR_WRITES_WAIT_MS, 5000, 0, 60_000),
    databaseTimeouts: databaseTimeouts(env),
    databasePools: databasePools(env),
    introspection: flag(env.GRAPHQL_INTROSPECTION, !production),
    trustProxy: flag(env.TRUST_PROXY, false),
    web: webConfig(env, production, port),
  };
}

function webConfig(env: NodeJS.ProcessEnv, production: boolean, port: number): WebConfig {
  const sessionSecret = env.SESSION_SECRET || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32)
    throw new Error('SESSION_SECRET must be at least 32 characters');
  const issuerUrl = env.OIDC_ISSUER_URL || undefined;
  if (issuerUrl && !/^https?:\/\//.test(issuerUrl)) throw new Error('OIDC_ISSUER_URL must be an http(s) URL');
  if (issuerUrl && !env.OIDC_CLIENT_ID) throw new Error('OIDC_CLIENT_ID is required with OIDC_ISSUER_URL');
  const publicUrl = (env.PUBLIC_URL || undefined)?.replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) throw new Error('PUBLIC_URL must be an http(s) URL');
  return {
    sessionSecret,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30, 1, 24 * 60),
    returnDueDays: int('RETURN_DUE_DAYS', env.RETURN_DUE_DAYS, 30, 0, 365),
    uploadMaxBytes: int('UPLOAD_MAX_BYTES', env.UPLOAD_MAX_BYTES, 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    publicUrl: publicUrl ?? (production ? undefined : `http://localhost:${port}`),
    oidc: issuerUrl
      ? {
          issuerUrl,
          clientId: env.OIDC_CLIENT_ID!,
          clientSecret: env.OIDC_CLIENT_SECRET || undefined,
          roleClaim: env.OIDC_ROLE_CLAIM || 'iap_role',
          areaClaim: env.OIDC_AREA_CLAIM || 'iap_area',
          nameClaim: env.OIDC_NAME_CLAIM || 'name',
        }
      : undefined,
  };
}

/** The web service's settings from the configuration (the session key falls back to the token secret outside production). */
export function webSettings(config: AppConfig, security: SecurityOptions): WebSettings {
  const web = config.web;
  if (config.production && !web.sessionSecret)
    throw new Error('SESSION_SECRET (at least 32 characters) is required in production');
  // Outside production: the token secret (kept in DATA_DIR on the zero-setup start), else one for this process
  // (with only a JWKS configured; sessions then end when the server restarts).
  const tokenSecret = security.tokens.secret;
  const sessionSecret =
    web.sessionSecret ??
    (tokenSecret && tokenSecret.length >= 32 ? tokenSecret : randomBytes(32).toString('base64url'));
  if (web.oidc && !web.publicUrl)
    throw new Error('PUBLIC_URL is required with OIDC_ISSUER_URL in production');
  return {
    production: config.production,
    sessionSecret,
    sessionIdleMinutes: web.sessionIdleMinutes,
    demoSignIn: !config.production && !web.oidc,
    returnDueDays: web.returnDueDays,
    uploadMaxBytes: web.uploadMaxBytes,
    oidc: web.oidc ? { ...web.oidc, redirectUri: `${web.publicUrl}/sign-in/callback` } : undefined,
  };
}

/**
 * The security settings of a configuration. Without JWT_SECRET or JWT_JWKS_URL outside production, a random
 * secret is made once and kept in DATA_DIR (see resolveJwtSecret), so the zero-setup start works.
 */
export function securityOptions(config: AppConfig): SecurityOptions {
  const { secret } = resolveJwtSecret({
    secret: config.jwtSecret,
    jwksUrl: config.jwtJwksUrl,
    production: config.production,
    dataDir: config.dataDir,
  });
  return {
    tokens: {
      secret,
      jwksUrl: config.jwtJwksUrl,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
    },
    corsOrigins: config.corsOrigins,
    rateLimit: { max: config.rateLimitMax, windowMs: config.rateLimitWindowMs },
    bodyLimitBytes: config.bodyLimitBytes,
    queryLimits: {
      maxDepth: config.queryMaxDepth,
      maxComplexity: config.queryMaxComplexity,
      introspection: config.introspection,
    },
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    trustProxy: config.trustProxy,
  };
}
