import { Logger } from '@nestjs/common';
import { resolveDatabase } from '@iap/database';
import { createLogger, issueToken, logNestThrough } from '@iap/auth';
import { loadConfig, securityOptions } from './config.js';
import { createApp } from './create-app.js';
import { DEMO_PEOPLE, loadDemoIfEmpty } from '../../../src/demo/public-api.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Every line on stdout is a log line through pino (JSON, or readable with LOG_FORMAT=pretty), from the first.
  logNestThrough(createLogger({ level: config.logLevel, pretty: config.logFormat === 'pretty' }));
  const logger = new Logger('Server');
  if (!config.databaseUrl) logger.log(`No DATABASE_URL: starting embedded PostgreSQL in ${config.dataDir}`);
  const db = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const security = securityOptions(config);
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    try {
      await app?.close();
    } finally {
      await db.embedded?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    app = await createApp({
      databaseUrl: db.url,
      databaseReadUrl: config.databaseReadUrl,
      eventStoreConnectionString: config.eventStoreConnectionString,
      graphiql: config.graphiql,
      readCacheEntries: config.readCacheEntries,
      readYourWritesWaitMs: config.readYourWritesWaitMs,
      security,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    await app?.close().catch(() => undefined);
    await db.embedded?.stop();
    process.exit(1);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`GraphQL API ready at http://localhost:${port}/graphql`);
  if (config.graphiql) logger.log(`GraphiQL at http://localhost:${port}/graphiql`);
  // Sign-in as the web service offers it (see webSettings): the identity provider, else the demo people.
  const signIn = config.web.oidc
    ? ` and sign in through ${config.web.oidc.issuerUrl}`
    : config.production
      ? ''
      : ' and sign in as a demo user';
  logger.log(`Web service: open http://localhost:${port}/${signIn}`);
  if (!config.databaseUrl) {
    // An embedded database with no area yet is a first run: show the programme with its demo data.
    try {
      await loadDemoIfEmpty(app, logger);
      printDemoTokens(security.tokens.secret);
    } catch (err) {
      logger.error(
        `Could not load the demo programme (restart to resume it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
  }
}

/**
 * The zero-setup start prints a token (valid 7 days) for each of the demo people (the same people the web
 * service's "Sign in as a demo user" offers) to paste into GraphiQL's headers as {"Authorization": "Bearer <token>"}.
 */
function printDemoTokens(secret: string | undefined): void {
  if (!secret) return;
  const expires = { expiresInSeconds: 7 * 24 * 3600 };
  const lines = DEMO_PEOPLE.map((person) => {
    const token = issueToken(
      secret,
      {
        sub: person.subject,
        role: person.role,
        name: person.name,
        ...(person.area ? { area: person.area } : {}),
      },
      expires,
    );
    const who = person.area ? `${person.role} ${person.area}` : person.role;
    return `  ${person.name} (${who}):\n    ${token}`;
  }).join('\n');
  // On stderr, for the person who started the server: not log lines (stdout holds only those), and never logged.
  process.stderr.write(
    `\nDemo access tokens (7 days). In GraphiQL, add the header {"Authorization": "Bearer <token>"}:\n${lines}\n\n`,
  );
}

void main();
