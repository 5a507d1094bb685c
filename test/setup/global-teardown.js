import { rm } from 'node:fs/promises';
import path from 'node:path';

export default async function globalTeardown() {
  const db = globalThis.__IAP_EMBEDDED_PG__;
  if (!db) return;
  await db.stop();
  await rm(path.dirname(db.dataDir), { recursive: true, force: true });
}
