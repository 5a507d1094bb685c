import type pg from 'pg';
import type { GenEvent } from './simulator.js';

/**
 * The events as es_append writes them into es_events (its columns, in log order), but in batches of thousands
 * and with `recorded_at` given (the simulated instant).
 */
const INSERT_EVENTS = `INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata, recorded_at)
  SELECT s, r, id, t, d, m, at
    FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])
         WITH ORDINALITY AS x(s, r, id, t, d, m, at, ord)
   ORDER BY ord`;

/** Batches events into es_events, one batch (one transaction) at a time, in log order. */
export class LogWriter {
  private batch: GenEvent[] = [];
  private inflight: Promise<void> | null = null;
  written = 0;
  constructor(
    private readonly client: pg.Client,
    private readonly batchSize = 5_000,
  ) {}
  push(e: GenEvent): void {
    this.batch.push(e);
  }
  get full(): boolean {
    return this.batch.length >= this.batchSize;
  }
  async flush(): Promise<void> {
    if (this.inflight) await this.inflight;
    this.inflight = null;
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.inflight = this.client
      .query(INSERT_EVENTS, [
        b.map((e) => e.stream),
        b.map((e) => e.revision),
        b.map((e) => e.id),
        b.map((e) => e.type),
        b.map((e) => JSON.stringify(e.data)),
        b.map((e) => JSON.stringify(e.meta)),
        b.map((e) => new Date(e.at).toISOString()),
      ])
      .then(() => {
        this.written += b.length;
      });
  }
  async close(): Promise<void> {
    await this.flush();
    if (this.inflight) await this.inflight;
  }
}
