import { GuardedClient } from '@iap/database';
import { EVENT_STORE_MIGRATIONS } from '@iap/event-store';
import { CreateProjectionCheckpoints1732500000100 } from '@iap/projections';
import { DataSource } from 'typeorm';
import { AREAS_MIGRATIONS } from '../../../src/areas/projections/areas.migration.js';
import { THEMES_MIGRATIONS } from '../../../src/themes/projections/themes.migration.js';
import { DELIVERY_MIGRATIONS } from '../../../src/delivery/projections/actions.migration.js';
import { FUNDING_MIGRATIONS } from '../../../src/funding/projections/funding.migration.js';
import { OUTCOMES_MIGRATIONS } from '../../../src/outcomes/projections/outcomes.migration.js';
import { ACTIVITY_MIGRATIONS } from '../../../src/activity/projections/activity.migration.js';
import { LEARNING_MIGRATIONS } from '../../../src/learning/projections/learning.migration.js';
import { COMPARATORS_MIGRATIONS } from '../../../src/comparators/projections/comparators.migration.js';
import { SPREADSHEETS_MIGRATIONS } from '../../../src/spreadsheets/projections/spreadsheet-imports.migration.js';

/** Every migration, in order. Tables are created here, never by TypeORM's synchronize. */
export const MIGRATIONS = [
  ...EVENT_STORE_MIGRATIONS,
  CreateProjectionCheckpoints1732500000100,
  ...AREAS_MIGRATIONS,
  ...THEMES_MIGRATIONS,
  ...DELIVERY_MIGRATIONS,
  ...FUNDING_MIGRATIONS,
  ...OUTCOMES_MIGRATIONS,
  ...ACTIVITY_MIGRATIONS,
  ...LEARNING_MIGRATIONS,
  ...COMPARATORS_MIGRATIONS,
  ...SPREADSHEETS_MIGRATIONS,
];

/** Runs pending migrations, one process at a time (an advisory lock), each in its own transaction. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: { Client: GuardedClient },
  });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(727274)');
    const ran = await ds.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
