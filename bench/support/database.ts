/** The PostgreSQL server a bench runs on, and the fresh databases it creates there for the run. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@iap/database';
import type { ServerFacts } from './machine.js';
import { log } from './output.js';

export interface BenchServer {
  /** A URL of the server with a database to administer it from: `DATABASE_URL`, or the embedded server's. */
  readonly adminUrl: string;
  /** Whether the server is an embedded PostgreSQL started for the run. */
  readonly embedded: boolean;
  /** Work to do at the end, before the server stops: the last given runs first. */
  onCleanup(...cleanups: (() => Promise<unknown>)[]): void;
}

/**
 * Runs `run` on `DATABASE_URL`'s server if set, else on an embedded PostgreSQL (default durability) started in a
 * temporary directory named `<tmpPrefix>...`; at the end, whatever happened, runs the cleanups, stops the
 * embedded server and removes its directory.
 */
export async function withBenchServer<T>(
  tmpPrefix: string,
  run: (server: BenchServer) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedDatabase | null = null;
  let tmpDir: string | null = null;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      tmpDir = await mkdtemp(path.join(os.tmpdir(), tmpPrefix));
      log(`Starting embedded PostgreSQL in ${tmpDir} ...`);
      embedded = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, 'pg') });
      adminUrl = embedded.url;
    }
    return await run({
      adminUrl,
      embedded: embedded !== null,
      onCleanup: (...more) => cleanups.unshift(...more),
    });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err: unknown) => log(`cleanup: ${String(err)}`));
    if (embedded) await embedded.stop().catch((err: unknown) => log(`stopping PostgreSQL: ${String(err)}`));
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
  }
}

/** A fresh database for the run (dropped at the end unless `keep`); returns its URL. */
export async function createBenchDatabase(
  server: BenchServer,
  name: string,
  { keep = false }: { keep?: boolean } = {},
): Promise<string> {
  await adminQuery(server.adminUrl, `CREATE DATABASE ${name}`);
  if (!keep)
    server.onCleanup(() => adminQuery(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return withDatabase(server.adminUrl, name);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** One statement on its own connection (CREATE DATABASE, VACUUM: what cannot run in a pool's transaction). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What a run reports of the PostgreSQL server at `url`: its version and durability settings. */
export async function serverFacts(url: string, embedded: boolean): Promise<ServerFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Omit<ServerFacts, 'embedded'>>(
      `SELECT current_setting('server_version') AS postgres, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS "synchronousCommit",
              current_setting('shared_buffers') AS "sharedBuffers"`,
    );
    const { postgres, fsync, synchronousCommit, sharedBuffers } = rows[0];
    return { postgres, embedded, fsync, synchronousCommit, sharedBuffers };
  } finally {
    await client.end();
  }
}

/** The server in a progress line: "PostgreSQL 15.14 (embedded), fsync=on". */
export function serverInWords(facts: ServerFacts): string {
  return `PostgreSQL ${facts.postgres} (${facts.embedded ? 'embedded' : 'DATABASE_URL'}), fsync=${facts.fsync}`;
}
