import type { Position } from '@iap/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every stored checkpoint, as rows `storedPosition` reads (`name`, `c`, `p`). */
export const ALL_CHECKPOINTS_SQL =
  'SELECT name, commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints';

/** A checkpoint row's position: null for "nothing applied yet" (commit_position -1, as lockCheckpoint makes it). */
export function storedPosition(row: { readonly c: string; readonly p: string }): Position | null {
  return row.c === '-1' ? null : { commit: BigInt(row.c), prepare: BigInt(row.p) };
}

export class CreateProjectionCheckpoints1732500000100 implements MigrationInterface {
  name = 'CreateProjectionCheckpoints1732500000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE projection_checkpoints (
      name text PRIMARY KEY,
      commit_position numeric(20, 0) NOT NULL,
      prepare_position numeric(20, 0) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE projection_checkpoints');
  }
}
