import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EventStore } from '@iap/event-store';
import { resolveDatabase } from '@iap/database';
import { type Projection, ProjectionRunner, rebuildProjections } from '@iap/projections';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config.js';
import { DemoSeeder, describeSeedReport } from '../../../src/demo/demo.seeder.js';
import { CoreModule } from '../../server/src/core.module.js';
import { migrate } from '../../server/src/migrations.js';
import { comparatorsImport } from './comparators-command.js';

/** The commands that open the database: migrate, projections:list, projections:rebuild, seed:demo. */
export async function databaseCommand(command: string, args: string[]): Promise<number> {
  const config = loadConfig();
  const db = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const ran = await migrate(db.url);
    if (command === 'migrate') {
      process.stdout.write(ran.length ? `Applied: ${ran.join(', ')}\n` : 'Nothing to apply\n');
      return 0;
    }
    const app = await NestFactory.createApplicationContext(
      CoreModule.forRoot({
        databaseUrl: db.url,
        eventStoreConnectionString: config.eventStoreConnectionString,
        runProjections: false,
      }),
      { logger: ['error', 'warn'] },
    );
    try {
      const runner = app.get(ProjectionRunner);
      if (command === 'seed:demo') return await seedDemo(app.get(DemoSeeder), runner);
      if (command === 'comparators:import') return await comparatorsImport(app, args);
      const dataSource = app.get(DataSource);
      if (command === 'projections:list') {
        const rows: { name: string; c: string; p: string; updated_at: Date }[] = await dataSource.query(
          'SELECT name, commit_position::text AS c, prepare_position::text AS p, updated_at FROM projection_checkpoints',
        );
        for (const p of runner.projections) {
          const row = rows.find((r) => r.name === p.name);
          const at =
            row && row.c !== '-1' ? `${row.c}/${row.p} (${row.updated_at.toISOString()})` : 'not started';
          process.stdout.write(`${p.name.padEnd(24)} ${at}\n`);
        }
        return 0;
      }
      const all = args.includes('--all');
      const named = args.filter((a) => a !== '--all');
      const unknown = named.filter((n) => !runner.projections.some((p) => p.name === n));
      if ((!all && named.length === 0) || (all && named.length > 0) || unknown.length > 0) {
        process.stderr.write(
          `${unknown.length > 0 ? `No projection named ${unknown.map((n) => `"${n}"`).join(', ')}. ` : 'Name the projections to rebuild, or --all. '}Known: ${runner.projections.map((p) => p.name).join(', ')}\n`,
        );
        return 2;
      }
      const chosen = all ? runner.projections : runner.projections.filter((p) => named.includes(p.name));
      await rebuild(app.get(EventStore), dataSource, chosen);
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await db.embedded?.stop();
  }
}

/** Rebuilds every read model of the database at `databaseUrl` (after events:import). */
export async function rebuildAllAt(databaseUrl: string): Promise<void> {
  const app = await NestFactory.createApplicationContext(
    CoreModule.forRoot({ databaseUrl, runProjections: false }),
    { logger: ['error', 'warn'] },
  );
  try {
    await rebuild(app.get(EventStore), app.get(DataSource), app.get(ProjectionRunner).projections);
  } finally {
    await app.close();
  }
}

/** Rebuilds the projections from the log, reporting progress on stdout. */
async function rebuild(
  store: EventStore,
  dataSource: DataSource,
  chosen: readonly Projection[],
): Promise<void> {
  const started = Date.now();
  let lastReport = 0;
  const results = await rebuildProjections(store, dataSource, chosen, {
    onProgress: (applied, read) => {
      if (Date.now() - lastReport > 2000) {
        lastReport = Date.now();
        process.stdout.write(`  ${read} events read, ${applied} applied\n`);
      }
    },
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `Rebuilt ${chosen.map((p, i) => `"${p.name}" (${results[i].eventsApplied} applied)`).join(', ')} from ${results[0]?.eventsRead ?? 0} events in ${seconds.toFixed(1)} s\n`,
  );
}

/** Loads the demo programme through the real commands; refuses (exit code 2) when the database has areas. */
async function seedDemo(seeder: DemoSeeder, runner: ProjectionRunner): Promise<number> {
  // A return's snapshot is read from the read models, so the projections run while the demo loads (and stop
  // before the application closes the event store under them).
  runner.start();
  try {
    return await loadDemo(seeder);
  } finally {
    await runner.stop();
  }
}

async function loadDemo(seeder: DemoSeeder): Promise<number> {
  const inspected = await seeder.inspect();
  if (inspected.state === 'OTHER_AREAS') {
    process.stderr.write(
      `Refusing to load the demo programme: the database already has areas (${inspected.areas.join(', ')}). ` +
        'Demo data is illustrative and is never mixed with real data: use an empty database.\n',
    );
    return 2;
  }
  if (inspected.state === 'DEMO_COMPLETE') {
    process.stderr.write(
      `Refusing to load the demo programme: it is already loaded (${inspected.areas} areas).\n`,
    );
    return 2;
  }
  process.stdout.write(
    inspected.state === 'EMPTY'
      ? 'Loading the demo programme (illustrative data)…\n'
      : 'Completing an interrupted demo load (illustrative data)…\n',
  );
  let reported = 0;
  const report = await seeder.seed({
    onProgress: (done, total) => {
      if (done === total || Date.now() - reported > 2000) {
        reported = Date.now();
        process.stdout.write(`  ${done}/${total} steps\n`);
      }
    },
  });
  process.stdout.write(`${describeSeedReport(report)}\n`);
  return 0;
}
