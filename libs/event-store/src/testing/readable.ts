import type { EventStore } from '../types.js';

/**
 * Waits until the global log shows every event appended to the PostgreSQL store on `db`. An appended event is
 * read only once every older transaction that may append to the store has ended (and, for a moment, one elsewhere on
 * the server that ends just as a read starts, which it cannot tell from an appender): a read started just after an
 * append may not see it yet.
 */
export async function untilLogShowsAll(
  store: EventStore,
  db: { query(sql: string): Promise<{ count: number }[]> },
  timeoutMs = 15_000,
): Promise<void> {
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM es_events');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = (await store.readAll({ fromPosition: 'start', maxCount: count })).length;
    if (shown >= count) return;
    if (Date.now() > deadline) throw new Error(`the log shows ${shown} of ${count} events`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
