/**
 * OpenTelemetry tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set. Loaded before the server with
 * `node --import ./dist/apps/server/src/tracing.js dist/apps/server/src/main.js` (as `npm start` and the image
 * start it), so that the instrumented packages are patched as they load: importing it from main.ts would be too
 * late (an ES module's imports are all loaded before its own code runs). Without the variable it loads nothing more.
 */
import { tracingWanted } from '@iap/tracing';

/** Requests not worth a trace: probes, metrics scrapes, static files. */
const UNTRACED = /^\/(health\/|metrics$|assets\/|public\/|graphiql\/assets\/|favicon\.ico$)/;

if (tracingWanted(process.env)) {
  const [{ startTracing }, { createLogger }, { logFormat }] = await Promise.all([
    import('@iap/tracing/sdk'),
    // Only what writes a log line: the rest of @iap/auth (and graphql with it) must load after the patches.
    import('../../../libs/auth/src/logging.js'),
    import('./config.js'),
  ]);
  const quieter = ['error', 'fatal', 'silent'].includes(process.env.LOG_LEVEL ?? '');
  const logger = createLogger({
    level: quieter ? process.env.LOG_LEVEL! : 'warn',
    pretty: logFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true) === 'pretty',
  }).child({ context: 'Tracing' });
  await startTracing({
    serviceName: 'iap',
    ignorePath: (path) => UNTRACED.test(path),
    warn: (message) => logger.warn(message),
  });
}
