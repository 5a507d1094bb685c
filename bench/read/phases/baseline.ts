import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { RecordedEvent } from '@iap/event-store';
import {
  ALL_EVENTS,
  type Projection,
  type ProjectionContext,
  VersionedRows,
  copyRows,
} from '@iap/projections';
import { memorySampler } from '../../support/memory.js';
import { fmtInt, log } from '../../support/output.js';
import { coreContext, logHead, phaseFigures, type PhaseFigures, resetReadModels } from '../read-models.js';

const RAW_PAGE = 500;
const RAW_READ = `SELECT transaction_id::text AS c, global_position::text AS p, stream_id, revision::text AS revision,
    event_id, event_type, data, metadata, recorded_at
  FROM es_events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
  ORDER BY transaction_id, global_position LIMIT $3`;

/**
 * The raw `pg` baseline: one pg client reads the log in pages of 500 and, in one transaction per page, hands each
 * projection the page's events of its types with a context whose `query` is `client.query(sql, params)`: the same
 * statements, with nothing of ours between them and the database.
 */
export async function baselinePhase(url: string): Promise<PhaseFigures> {
  const { app, projections, dataSource } = await coreContext(url);
  try {
    await resetReadModels(dataSource, projections);
    const head = await logHead(dataSource);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const ctxFor = (p: Projection): ProjectionContext => ({
      manager: undefined as never,
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      table(name: string) {
        if (!p.tables.includes(name)) throw new Error(`Table "${name}" is not declared by ${p.name}`);
        return `"${name}"`;
      },
      copy: async (table, columns, lines) => void (await copyRows(client, table, columns, lines)),
      rows: (spec) => new VersionedRows(spec),
    });
    const filters = projections.map((p) => ({
      p,
      all: p.eventTypes.includes(ALL_EVENTS),
      types: new Set(p.eventTypes),
      ctx: ctxFor(p),
    }));
    const mem = memorySampler();
    const t0 = performance.now();
    let after = { c: '0', p: '0' };
    let read = 0;
    let lastLog = t0;
    try {
      for (;;) {
        const { rows } = await client.query(RAW_READ, [after.c, after.p, RAW_PAGE]);
        if (rows.length === 0) break;
        const events: RecordedEvent[] = rows.map((r) => ({
          id: r.event_id,
          type: r.event_type,
          streamId: r.stream_id,
          revision: BigInt(r.revision),
          position: { commit: BigInt(r.c), prepare: BigInt(r.p) },
          data: r.data,
          metadata: r.metadata,
          recordedAt: r.recorded_at,
        }));
        await client.query('BEGIN');
        for (const f of filters) {
          const relevant = f.all ? events : events.filter((e) => f.types.has(e.type));
          if (relevant.length > 0) await f.p.apply(relevant, f.ctx);
        }
        await client.query('COMMIT');
        read += rows.length;
        after = { c: rows[rows.length - 1].c, p: rows[rows.length - 1].p };
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(
            `baseline: ${fmtInt(read)} / ${fmtInt(head.events)} events, ${fmtInt(read / ((lastLog - t0) / 1000))} ev/s`,
          );
        }
      }
    } finally {
      await client.end();
    }
    const seconds = (performance.now() - t0) / 1000;
    const memory = mem.stop();
    if (read !== head.events) throw new Error(`baseline read ${read} of ${head.events} events`);
    return await phaseFigures(dataSource, projections, read, seconds, memory, {
      pageSize: RAW_PAGE,
      transactions: Math.ceil(read / RAW_PAGE),
    });
  } finally {
    await app.close();
  }
}
