import { EVENT_STORE_MIGRATIONS } from '@iap/event-store';
import { CreateProjectionCheckpoints1732500000100 } from '@iap/projections';
import { DataSource } from 'typeorm';
import { AREAS_MIGRATIONS } from '../../../src/areas/areas.module.js';
import { THEMES_MIGRATIONS } from '../../../src/themes/themes.module.js';
import { DELIVERY_MIGRATIONS } from '../../../src/delivery/delivery.module.js';
import { FUNDING_MIGRATIONS } from '../../../src/funding/funding.module.js';
import { OUTCOMES_MIGRATIONS } from '../../../src/outcomes/outcomes.module.js';
import { ACTIVITY_MIGRATIONS } from '../../../src/activity/projections/activity.migration.js';
import { LEARNING_MIGRATIONS } from '../../../src/learning/learning.module.js';
import { SPREADSHEETS_MIGRATIONS } from '../../../src/spreadsheets/spreadsheets.module.js';

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
  ...SPREADSHEETS_MIGRATIONS,
];

/** Runs pending migrations, one process at a time (an advisory lock), each in its own transaction. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
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
