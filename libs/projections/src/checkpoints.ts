import { type Position, comparePositions } from '@iap/event-store';
import type { EntityManager } from 'typeorm';

/** Reads a projection's checkpoint, locking its row until the transaction ends. */
export async function lockCheckpoint(manager: EntityManager, name: string): Promise<Position | null> {
  await manager.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position) VALUES ($1, -1, -1)
     ON CONFLICT (name) DO NOTHING`,
    [name],
  );
  const rows: { c: string; p: string }[] = await manager.query(
    `SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints
      WHERE name = $1 FOR UPDATE`,
    [name],
  );
  const { c, p } = rows[0];
  return c === '-1' ? null : { commit: BigInt(c), prepare: BigInt(p) };
}

export async function saveCheckpoint(
  manager: EntityManager,
  name: string,
  position: Position,
): Promise<void> {
  await manager.query(
    `UPDATE projection_checkpoints SET commit_position = $2, prepare_position = $3, updated_at = now()
      WHERE name = $1`,
    [name, position.commit.toString(), position.prepare.toString()],
  );
}

export async function readCheckpoint(manager: EntityManager, name: string): Promise<Position | null> {
  const rows: { c: string; p: string }[] = await manager.query(
    `SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints WHERE name = $1`,
    [name],
  );
  if (rows.length === 0 || rows[0].c === '-1') return null;
  return { commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) };
}

export function isAfter(position: Position, checkpoint: Position | null): boolean {
  return checkpoint === null || comparePositions(position, checkpoint) > 0;
}
