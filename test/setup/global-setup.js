import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

/**
 * Tests use a real PostgreSQL: the one in DATABASE_URL when set, else an embedded server on a free port in a
 * throw-away directory (so two runs can overlap). Each test file then creates its own database on it.
 * (Plain JS: Jest loads global setup outside its module mapper, so the TypeScript helper comes through tsx.)
 */
export default async function globalSetup() {
  if (process.env.DATABASE_URL) return;
  const { startEmbeddedPostgres } = await tsImport(
    '../../libs/database/src/embedded-postgres.ts',
    import.meta.url,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iap-test-pg-'));
  const db = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    // A throw-away cluster: durability settings off for speed (crash tests kill processes, not the OS).
    postgresFlags: ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  });
  process.env.IAP_TEST_ADMIN_URL = db.url;
  globalThis.__IAP_EMBEDDED_PG__ = db;
}
