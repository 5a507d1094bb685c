import pg from 'pg';
import type { Position } from '@iap/event-store';
import { ALL_CHECKPOINTS_SQL, storedPosition } from './checkpoint-schema.js';

/** The channel a committed batch announces its projection's new checkpoint on: `<name> <commit> <prepare>`. */
export const CHECKPOINT_CHANNEL = 'iap_projection_checkpoints';

/** The first key of every projection's advisory lock (the second is `hashtext(name)`). */
const LOCK_CLASS = 0x1a9;

export interface LeadershipOptions {
  /** The database whose advisory locks elect each projection's leader (the read models' database). */
  readonly databaseUrl: string;
  /** How often an instance tries for the projections it does not lead, and checks its lock connection. */
  readonly intervalMs?: number;
}

export interface LeadershipEvents {
  gained(name: string): void;
  lost(name: string): void;
  /** Another runner (or this one) committed a projection's checkpoint, or a tick read it. */
  checkpoint(name: string, position: Position | null): void;
  log(message: string, error?: unknown): void;
}

/** What a checkpoint's notice says: "<projection> <commit> <prepare>" (read by parseCheckpointNotice). */
export function checkpointNotice(name: string, position: Position): string {
  return `${name} ${position.commit} ${position.prepare}`;
}

export function parseCheckpointNotice(payload: string): { name: string; position: Position } | null {
  const [name, commit, prepare] = payload.split(' ');
  if (!name || !/^\d+$/.test(commit ?? '') || !/^\d+$/.test(prepare ?? '')) return null;
  return { name, position: { commit: BigInt(commit), prepare: BigInt(prepare) } };
}

/**
 * Leadership per projection: one session connection per instance holds a PostgreSQL advisory lock for each
 * projection it leads, and listens for other instances' checkpoints. The locks go with the connection: when
 * the leading process dies, or its connection is terminated, PostgreSQL releases them and another instance takes
 * them on its next try (every `intervalMs`). An instance that loses its connection gives up every projection at
 * once (it can no longer know it leads) and contends again once it has reconnected.
 */
export class ProjectionLeadership {
  private readonly intervalMs: number;
  private client: pg.Client | null = null;
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly options: LeadershipOptions,
    private readonly names: readonly string[],
    private readonly on: LeadershipEvents,
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
  }

  /** The projections this instance leads now. */
  leads(name: string): boolean {
    return this.held.has(name);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const client = this.client;
    this.drop(client);
    // Ending the session releases its advisory locks: the other instances take over on their next try.
    await client?.end().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let client = this.client;
    try {
      if (!client) client = await this.connect();
      // Also proves the connection is alive: a session that no longer answers holds no lock we can count on.
      const rows = await this.timed(client, ALL_CHECKPOINTS_SQL);
      for (const r of rows as { name: string; c: string; p: string }[])
        this.on.checkpoint(r.name, storedPosition(r));
      // One statement tries for every projection not led here, each lock on its own (some may be taken).
      const wanted = this.names.filter((name) => !this.held.has(name));
      if (wanted.length === 0 || this.stopped) return;
      const tried = (await this.timed(
        client,
        'SELECT n AS name, pg_try_advisory_lock($1, hashtext(n)) AS ok FROM unnest($2::text[]) WITH ORDINALITY AS t(n, i) ORDER BY i',
        [LOCK_CLASS, wanted],
      )) as { name: string; ok: boolean }[];
      for (const r of tried) {
        if (r.ok && client === this.client && !this.held.has(r.name)) {
          this.held.add(r.name);
          this.on.gained(r.name);
        }
      }
    } catch (err) {
      if (this.stopped) return;
      this.on.log('Lost the projection leadership connection; contending again', err);
      this.drop(client);
      await client?.end().catch(() => undefined);
    }
  }

  /** A query that fails when the connection does not answer within the interval (a silent network drop). */
  private async timed(client: pg.Client, sql: string, params?: unknown[]): Promise<unknown[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the leadership connection did not answer')),
        Math.max(2000, this.intervalMs * 2),
      );
    });
    try {
      return (await Promise.race([client.query(sql, params), timeout])).rows;
    } finally {
      clearTimeout(timer);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: Math.max(2000, this.intervalMs * 2),
      application_name: 'iap-projection-leadership',
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      if (!this.stopped) this.on.log('The projection leadership connection ended', err);
      this.drop(client);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      const notice = n.channel === CHECKPOINT_CHANNEL && n.payload ? parseCheckpointNotice(n.payload) : null;
      if (notice) this.on.checkpoint(notice.name, notice.position);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return client;
  }

  /** Gives up every projection led through `client` (no-op when it is no longer the current one). */
  private drop(client: pg.Client | null): void {
    if (!client || this.client !== client) return;
    this.client = null;
    const lost = [...this.held];
    this.held.clear();
    for (const name of lost) this.on.lost(name);
  }
}
