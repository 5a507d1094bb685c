import path from 'node:path';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  readonly url: string;
  /** Set when we started an embedded server: stop it after the application has closed. */
  readonly embedded: EmbeddedDatabase | null;
}

/**
 * `DATABASE_URL` when given; otherwise a real PostgreSQL embedded in the process's care, its data kept in
 * `<dataDir>/postgres` and reused on the next start.
 */
export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    log: options.log,
  });
  return { url: embedded.url, embedded };
}
