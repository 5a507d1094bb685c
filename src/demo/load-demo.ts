import type { INestApplicationContext } from '@nestjs/common';
import { DemoSeeder, describeSeedReport } from './demo.seeder.js';

export interface DemoLog {
  log(message: string): void;
}

/**
 * On a server started without DATABASE_URL (an embedded database: a first run on someone's machine), loads the
 * demo programme when the database has no area yet, or completes an interrupted demo load. A database with any
 * other area is left alone. Answers whether anything was loaded.
 */
export async function loadDemoIfEmpty(app: INestApplicationContext, logger: DemoLog): Promise<boolean> {
  const seeder = app.get(DemoSeeder);
  const inspected = await seeder.inspect();
  if (inspected.state !== 'EMPTY' && inspected.state !== 'DEMO_INCOMPLETE') return false;
  logger.log(
    inspected.state === 'EMPTY'
      ? 'Empty embedded database: loading the demo programme (illustrative data)…'
      : 'Embedded database with an interrupted demo load: completing the demo programme (illustrative data)…',
  );
  const report = await seeder.seed();
  logger.log(describeSeedReport(report));
  return true;
}
