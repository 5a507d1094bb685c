import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStore } from '@iap/event-store';
import { resolveDatabase } from '@iap/database';
import { ProjectionRunner, rebuildProjection } from '@iap/projections';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config.js';
import { CoreModule } from '../../server/src/core.module.js';
import { migrate } from '../../server/src/migrations.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate                        apply pending database migrations
  projections:list               list projections and their checkpoints
  projections:rebuild <name>     rebuild a read model from the start of the log, swapping it in when done
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  const known = ['migrate', 'projections:list', 'projections:rebuild'];
  if (!known.includes(command)) {
    process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }

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
      const name = args[0];
      const projection = runner.projections.find((p) => p.name === name);
      if (!projection) {
        process.stderr.write(
          `No projection named "${name ?? ''}". Known: ${runner.projections.map((p) => p.name).join(', ')}\n`,
        );
        return 2;
      }
      const started = Date.now();
      let lastReport = 0;
      const result = await rebuildProjection(app.get(EventStore), dataSource, projection, {
        onProgress: (applied, read) => {
          if (Date.now() - lastReport > 2000) {
            lastReport = Date.now();
            process.stdout.write(`  ${read} events read, ${applied} applied\n`);
          }
        },
      });
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `Rebuilt "${name}": ${result.eventsRead} events read, ${result.eventsApplied} applied in ${seconds.toFixed(1)} s\n`,
      );
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await db.embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    new Logger('CLI').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
