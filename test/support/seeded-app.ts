import { EventStore } from '@iap/event-store';
import { type Projection, ProjectionRunner } from '@iap/projections';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../../src/demo/demo.seeder.js';
import { type TestApp, startTestApp } from './test-app.js';

/** The test server with the demo programme seeded, and what the read-side specs use of it. */
export interface SeededApp {
  readonly t: TestApp;
  readonly db: DataSource;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
}

/** Boots the test server, seeds the demo programme (DemoSeeder) and answers its store, database and projections. */
export async function startSeededApp(): Promise<SeededApp> {
  const t = await startTestApp();
  const seeded: SeededApp = {
    t,
    db: t.app.get(DataSource),
    store: t.app.get(EventStore),
    projections: t.app.get(ProjectionRunner).projections,
  };
  await t.app.get(DemoSeeder).seed();
  return seeded;
}
