import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GuardedClient } from '@iap/database';

/** DATABASE_READ_URL: a streaming replica of the primary that query operations read from (unset: none). */
export const DATABASE_READ_URL = Symbol('DATABASE_READ_URL');

/** How long a query waits for the replica to replay this process's last acknowledged write before it reads the primary. */
export const REPLICA_WAIT_MS = 1000;

/** The WAL position of a server as a number of bytes: the primary's insert position, or a standby's replay position. */
const WAL_POSITION = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END
  - '0/0'::pg_lsn)::text AS lsn`;

/**
 * Where query operations read the read models: a replica (DATABASE_READ_URL) when one is configured, else the
 * primary. Mutations, their answers, commands, projections and `asOf` snapshots always use the primary.
 *
 * Read your writes, within one server process: after a mutation has answered (from the primary), the process
 * notes the primary's WAL position (`noteWrite`); a later query goes to the replica only once the replica has
 * replayed past that position (`pg_last_wal_replay_lsn()`), waiting up to REPLICA_WAIT_MS for it, and otherwise
 * reads the primary. So whoever made a change through this process sees it in their next query. Another process
 * (behind a load balancer) makes no such promise for writes it did not answer: its queries see them once the
 * replica has replayed them (its replay lag, normally milliseconds).
 */
@Injectable()
export class ReadSource implements OnApplicationShutdown {
  private static readonly logger = new Logger('ReadSource');
  private readonly replica: DataSource | null;
  private replicaReady: Promise<DataSource> | null = null;
  /** The primary's WAL position after the latest write this process acknowledged. */
  private written = 0n;
  /** The replica's replay position last seen. */
  private replayed = 0n;

  constructor(
    @Inject(DataSource) readonly primary: DataSource,
    @Inject(DATABASE_READ_URL) readUrl: string | undefined,
  ) {
    this.replica = readUrl
      ? new DataSource({
          type: 'postgres',
          url: readUrl,
          extra: { max: 10, application_name: 'iap-reader', Client: GuardedClient },
        })
      : null;
  }

  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** Notes the primary's WAL position after a write this process acknowledged (with a replica only). */
  async noteWrite(): Promise<void> {
    if (!this.replica) return;
    const [{ lsn }] = (await this.primary.query(WAL_POSITION)) as { lsn: string }[];
    const at = BigInt(lsn);
    if (at > this.written) this.written = at;
  }

  /** The data source a query operation reads from now (see the class comment). */
  async reader(): Promise<DataSource> {
    if (!this.replica) return this.primary;
    let replica: DataSource;
    try {
      replica = await this.connected();
    } catch (err) {
      ReadSource.logger.warn(
        `the read replica is unavailable, reading the primary: ${(err as Error).message}`,
      );
      return this.primary;
    }
    const needed = this.written;
    if (this.replayed >= needed) return replica;
    const deadline = Date.now() + REPLICA_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const [{ lsn }] = (await replica.query(WAL_POSITION)) as { lsn: string }[];
      const at = BigInt(lsn);
      if (at > this.replayed) this.replayed = at;
      if (at >= needed) return replica;
      if (Date.now() >= deadline) return this.primary;
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  private connected(): Promise<DataSource> {
    this.replicaReady ??= this.replica!.initialize().catch((err: unknown) => {
      this.replicaReady = null; // try again on the next query
      throw err;
    });
    return this.replicaReady;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.replica?.isInitialized) await this.replica.destroy();
  }
}
