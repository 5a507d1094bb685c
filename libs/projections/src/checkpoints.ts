import { type Position, comparePositions } from '@iap/event-store';
import type { EntityManager } from 'typeorm';
import { storedPosition } from './checkpoint-schema.js';
import { CHECKPOINT_CHANNEL, checkpointNotice } from './leadership.js';

/**
 * Reads a projection's checkpoint, locking its row until the transaction ends (one statement: the row is created
 * at "nothing applied" if missing, and `ON CONFLICT DO UPDATE` locks it as `FOR UPDATE` would).
 */
export async function lockCheckpoint(manager: EntityManager, name: string): Promise<Position | null> {
  const rows: { c: string; p: string }[] = await manager.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position) VALUES ($1, -1, -1)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
     RETURNING commit_position::text AS c, prepare_position::text AS p`,
    [name],
  );
  return storedPosition(rows[0]);
}

/**
 * Stores a projection's checkpoint (its row locked by `lockCheckpoint` in the same transaction); with `announce`,
 * also tells the other instances (NOTIFY on CHECKPOINT_CHANNEL, in the same statement, delivered on commit).
 */
export async function saveCheckpoint(
  manager: EntityManager,
  name: string,
  position: Position,
  announce = false,
): Promise<void> {
  const update = `UPDATE projection_checkpoints SET commit_position = $2, prepare_position = $3, updated_at = now()
      WHERE name = $1`;
  const values = [name, position.commit.toString(), position.prepare.toString()];
  if (!announce) await manager.query(update, values);
  else
    await manager.query(`WITH saved AS (${update} RETURNING 1) SELECT pg_notify($4, $5) FROM saved`, [
      ...values,
      CHECKPOINT_CHANNEL,
      checkpointNotice(name, position),
    ]);
}

export async function readCheckpoint(manager: EntityManager, name: string): Promise<Position | null> {
  const rows: { c: string; p: string }[] = await manager.query(
    `SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints WHERE name = $1`,
    [name],
  );
  return rows.length === 0 ? null : storedPosition(rows[0]);
}

/** The stored checkpoints of `names`, by one statement (null: nothing applied yet, or no row). */
export async function readCheckpoints(
  manager: EntityManager,
  names: readonly string[],
): Promise<Map<string, Position | null>> {
  const rows: { name: string; c: string; p: string }[] = await manager.query(
    `SELECT name, commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints
      WHERE name = ANY($1::text[])`,
    [names],
  );
  const found = new Map<string, Position | null>(names.map((n) => [n, null]));
  for (const r of rows) found.set(r.name, storedPosition(r));
  return found;
}

/**
 * Moves projections' stored checkpoints forward (never back), each to its position, by one statement without a
 * transaction of its own, and announces each one moved as a batch's commit does. For stretches of the log that
 * hold none of a projection's events: nothing is applied, so it needs no lock of its own; a crash before it runs
 * only means reading those stretches again. The rows are taken in name order, so that two instances saving at
 * once (a moment of double leadership) wait for each other rather than deadlock.
 */
export async function advanceCheckpoints(
  manager: EntityManager,
  moves: readonly { readonly name: string; readonly position: Position }[],
): Promise<void> {
  if (moves.length === 0) return;
  await manager.query(
    `WITH m AS (SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[], $5::text[]) AS m(name, c, p, notice)),
     moved AS (
       INSERT INTO projection_checkpoints AS c (name, commit_position, prepare_position)
       SELECT m.name, m.c, m.p FROM m ORDER BY m.name
       ON CONFLICT (name) DO UPDATE
         SET commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position,
             updated_at = now()
        WHERE (c.commit_position, c.prepare_position) < (EXCLUDED.commit_position, EXCLUDED.prepare_position)
       RETURNING c.name)
     SELECT pg_notify($4, m.notice) FROM moved JOIN m USING (name)`,
    [
      moves.map((m) => m.name),
      moves.map((m) => m.position.commit.toString()),
      moves.map((m) => m.position.prepare.toString()),
      CHECKPOINT_CHANNEL,
      moves.map((m) => checkpointNotice(m.name, m.position)),
    ],
  );
}

export function isAfter(position: Position, checkpoint: Position | null): boolean {
  return checkpoint === null || comparePositions(position, checkpoint) > 0;
}
