/** The product's read models as the phases find and compare them. */
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, type Position } from '@iap/event-store';
import { type Projection, ProjectionRunner } from '@iap/projections';
import { CoreModule } from '../../apps/server/src/core.module.js';
import { r2 } from '../support/figures.js';
import type { Memory } from '../support/memory.js';

/** The product's modules without HTTP: the projections (as the server discovers them), the store, the DataSource. */
export async function coreContext(url: string): Promise<{
  app: INestApplicationContext;
  projections: readonly Projection[];
  store: EventStore;
  dataSource: DataSource;
}> {
  const app = await NestFactory.createApplicationContext(
    CoreModule.forRoot({ databaseUrl: url, runProjections: false }),
    { logger: ['error', 'warn'] },
  );
  return {
    app,
    projections: app.get(ProjectionRunner).projections,
    store: app.get(EventStore),
    dataSource: app.get(DataSource),
  };
}

export async function resetReadModels(ds: DataSource, projections: readonly Projection[]): Promise<void> {
  const tables = [...new Set(projections.flatMap((p) => p.tables))].map((t) => `"${t}"`);
  await ds.query(`TRUNCATE ${tables.join(', ')}`);
  await ds.query('DELETE FROM projection_checkpoints');
  await ds.query(`VACUUM ANALYZE ${tables.join(', ')}, projection_checkpoints`);
  await ds.query('CHECKPOINT').catch(() => undefined);
}

/** Row count and an order-independent hash of every row of every read-model table: equal models, equal prints. */
export async function fingerprint(
  ds: DataSource,
  projections: readonly Projection[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of [...new Set(projections.flatMap((p) => p.tables))].sort()) {
    const [row] = await ds.query(
      `SELECT count(*)::text AS n, coalesce(sum(hashtextextended(t::text, 7)), 0)::text AS h FROM "${t}" t`,
    );
    out[t] = `${row.n}:${row.h}`;
  }
  return out;
}

export async function logHead(ds: DataSource): Promise<{ position: Position; events: number }> {
  const [row] = await ds.query(
    `SELECT transaction_id::text AS c, global_position::text AS p, (SELECT count(*) FROM es_events)::int AS n
       FROM es_events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return { position: { commit: BigInt(row.c), prepare: BigInt(row.p) }, events: row.n };
}

export interface PhaseFigures {
  events: number;
  seconds: number;
  eventsPerSec: number;
  memory: Memory;
  fingerprint: Record<string, string>;
  detail?: Record<string, unknown>;
}

/** What a phase of (a) reports: `events` applied in `seconds`, its memory, and the read models it left. */
export async function phaseFigures(
  ds: DataSource,
  projections: readonly Projection[],
  events: number,
  seconds: number,
  memory: Memory,
  detail: Record<string, unknown>,
): Promise<PhaseFigures> {
  return {
    events,
    seconds: r2(seconds),
    eventsPerSec: Math.round(events / seconds),
    memory,
    fingerprint: await fingerprint(ds, projections),
    detail,
  };
}
