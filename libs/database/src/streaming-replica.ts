import { execFile } from 'node:child_process';
import { chmod, chown, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type EmbeddedDatabase, postgresUser, startPostmaster, stopChild } from './embedded-postgres.js';

const run = promisify(execFile);

export interface StreamingReplicaOptions {
  /** A new directory for the standby's data (removed first if it exists). */
  readonly dataDir: string;
  readonly postgresFlags?: string[];
  readonly log?: (line: string) => void;
}

/**
 * Starts a hot standby of an embedded primary, streaming its WAL, with the binaries the `embedded-postgres`
 * package ships (which have no pg_basebackup): a base backup through the low-level API (`pg_backup_start`, a copy
 * of the data directory, `pg_backup_stop`'s backup label), a physical replication slot so the primary keeps the
 * WAL the standby needs, `standby.signal` and `primary_conninfo`. For tests and benchmarks on one machine.
 */
export async function startStreamingReplica(
  primary: EmbeddedDatabase,
  options: StreamingReplicaOptions,
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const slot = `replica_${path
    .basename(dataDir)
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()}`.slice(0, 63);
  const url = new URL(primary.url);
  const client = new pg.Client({ connectionString: primary.url });
  await client.connect();
  try {
    await client.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await client.query("SELECT pg_backup_start('iap-streaming-replica', true)");
    await rm(dataDir, { recursive: true, force: true });
    // cp -a keeps the files' owner (the postgres OS user when run as root) and modes.
    await run('cp', ['-a', primary.dataDir, dataDir]);
    const { rows } = await client.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    for (const f of ['postmaster.pid', 'postmaster.opts', 'standby.signal'])
      await rm(path.join(dataDir, f), { force: true });
    for (const f of await readdir(path.join(dataDir, 'pg_wal')))
      if (f !== 'archive_status') await rm(path.join(dataDir, 'pg_wal', f), { recursive: true, force: true });
    for (const f of await readdir(path.join(dataDir, 'pg_replslot')))
      await rm(path.join(dataDir, 'pg_replslot', f), { recursive: true, force: true });
    await writeFile(path.join(dataDir, 'backup_label'), rows[0].labelfile);
    await writeFile(path.join(dataDir, 'standby.signal'), '');
    const conninfo = `host=127.0.0.1 port=${url.port} user=${decodeURIComponent(url.username)} password=${decodeURIComponent(url.password)} application_name=${slot}`;
    await appendFile(
      path.join(dataDir, 'postgresql.auto.conf'),
      `\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`,
    );
  } finally {
    await client.end();
  }
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    for (const f of ['backup_label', 'standby.signal', 'postgresql.auto.conf'])
      await chown(path.join(dataDir, f), uid, gid);
  }
  await chmod(dataDir, 0o700);
  const { child, port } = await startPostmaster(dataDir, options.postgresFlags ?? [], log);
  const replicaUrl = new URL(primary.url);
  replicaUrl.port = String(port);
  return {
    url: replicaUrl.toString(),
    port,
    dataDir,
    stop: async () => {
      await stopChild(child);
      const c = new pg.Client({ connectionString: primary.url });
      await c.connect().then(
        () => c.query('SELECT pg_drop_replication_slot($1)', [slot]).catch(() => undefined),
        () => undefined,
      );
      await c.end().catch(() => undefined);
    },
  };
}
