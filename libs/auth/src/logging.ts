import { Logger as NestLogger, type LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type pinoPrettyModule from 'pino-pretty';

/** Paths pino replaces with "[Redacted]": credentials never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'secret',
  'password',
  '*.authorization',
  '*.token',
  '*.secret',
  '*.password',
  'jwtSecret',
  '*.jwtSecret',
];

/** pino-pretty, loaded only for readable lines (LOG_FORMAT=pretty): a server logging JSON never needs it. */
const prettyLines = (): typeof pinoPrettyModule =>
  createRequire(import.meta.url)('pino-pretty') as typeof pinoPrettyModule;

/**
 * The service's structured logger: JSON lines, to `destination` (default stdout); with `pretty` and no
 * destination, readable coloured lines for a person at a terminal (pino-pretty), the same fields.
 */
export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  pretty?: boolean;
}): Logger {
  const destination = options.pretty
    ? prettyLines()({
        colorize: !options.destination,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        destination: (options.destination as NodeJS.WritableStream | undefined) ?? 1,
        sync: true,
      })
    : options.destination;
  return pino(
    {
      level: options.level,
      base: { service: 'iap' },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Every Nest log line through this pino logger, from now on: the application's and those of Nest's static Logger
 * written before any application exists (main.ts's first lines), so stdout holds only pino's lines.
 */
export function logNestThrough(logger: Logger): void {
  NestLogger.overrideLogger(new PinoNestLogger(logger));
}

/** Nest's own log lines (start-up, errors) through the same pino logger, with their context name. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context) for errors
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    this.logger.error({ context, ...(stack ? { stack } : {}) }, text(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.logger[level]({ context, ...(message as object) });
    } else {
      this.logger[level]({ context }, text(message));
    }
  }
}

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : JSON.stringify(message);
}
