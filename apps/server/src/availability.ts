import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UNAVAILABLE_MESSAGE } from '@iap/common';

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 1;

const FLAG = Symbol('databaseUnavailable');

/** Marks a request as one that found the database away (set where its errors are formatted). */
export function markDatabaseUnavailable(request: FastifyRequest | undefined): void {
  if (request) (request as unknown as Record<symbol, boolean>)[FLAG] = true;
}

export interface CircuitOptions {
  /** Resolves when the database answers (a trivial query); rejects otherwise. */
  readonly probe: () => Promise<void>;
  /** How often an open circuit probes the database. */
  readonly probeIntervalMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * A circuit on the database: a request that found it away opens it; while open, GraphQL requests are answered
 * at once with 503 UNAVAILABLE (and Retry-After) rather than each waiting for a connection to fail, and the
 * database is probed every `probeIntervalMs`; the first probe it answers closes the circuit.
 */
export class DatabaseCircuit {
  private openSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closedForGood = false;
  /** How many times it opened, and for how long in all (for /metrics). */
  opened = 0;

  constructor(private readonly options: CircuitOptions) {}

  get isOpen(): boolean {
    return this.openSince !== null;
  }

  trip(): void {
    if (this.openSince !== null || this.closedForGood) return;
    this.openSince = Date.now();
    this.opened++;
    this.options.log?.('The database is not answering: answering GraphQL requests 503 until it does');
    this.schedule();
  }

  stop(): void {
    this.closedForGood = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.openSince = null;
  }

  private schedule(): void {
    this.timer = setTimeout(async () => {
      this.timer = null;
      try {
        await this.options.probe();
        const ms = Date.now() - (this.openSince ?? Date.now());
        this.openSince = null;
        this.options.log?.(`The database answers again (after ${ms} ms): serving requests`);
      } catch {
        if (!this.closedForGood) this.schedule();
      }
    }, this.options.probeIntervalMs ?? 250);
    this.timer.unref();
  }
}

/**
 * Every 503 carries Retry-After; a GraphQL request (or a page, through markDatabaseUnavailable) that found the
 * database away opens the circuit, and while it is open GraphQL requests are answered 503 UNAVAILABLE at once
 * (the pages refuse themselves likewise, with GOV.UK's "service unavailable" page: see apps/web; health checks,
 * /metrics and static assets still answer).
 */
export function registerAvailability(fastify: FastifyInstance, circuit: DatabaseCircuit): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!circuit.isOpen || !request.url.startsWith('/graphql')) return done();
    // Answered here: `done` is not called, so the request goes no further.
    reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send({ errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: 'UNAVAILABLE' } }] });
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after'))
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    if ((request as unknown as Record<symbol, boolean>)[FLAG]) circuit.trip();
    done();
  });
  fastify.addHook('onClose', async () => circuit.stop());
}
