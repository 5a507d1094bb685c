import path from 'node:path';

export interface AppConfig {
  /** PostgreSQL for read models (and events, by default). Unset: an embedded server is started. */
  readonly databaseUrl?: string;
  /** When set, events are stored in EventStoreDB / KurrentDB. */
  readonly eventStoreConnectionString?: string;
  readonly port: number;
  readonly host: string;
  /** Where the embedded PostgreSQL keeps its data. */
  readonly dataDir: string;
  /** Serve the GraphiQL page at /graphiql. */
  readonly graphiql: boolean;
  readonly logLevel: string;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a TCP port, got "${env.PORT}"`);
  const production = env.NODE_ENV === 'production';
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    graphiql: flag(env.GRAPHIQL, !production),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
