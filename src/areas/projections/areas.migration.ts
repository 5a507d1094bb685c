import type { MigrationInterface, QueryRunner } from 'typeorm';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { AREAS_TABLE } from './areas.projection.js';

export class CreateAreas1732500001000 implements MigrationInterface {
  name = 'CreateAreas1732500001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE areas (
      code text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      region text NOT NULL,
      registered_at timestamptz NOT NULL,
      revision bigint NOT NULL
    )`);
    await q.query('CREATE INDEX areas_kind_name ON areas (kind, name)');
    await q.query(`CREATE TABLE area_partners (
      area_code text NOT NULL,
      partner_id text NOT NULL,
      name text NOT NULL,
      sector text NOT NULL,
      registered_at timestamptz NOT NULL,
      PRIMARY KEY (area_code, partner_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE area_partners');
    await q.query('DROP TABLE areas');
  }
}

export const AreasHistory1732500010100 = historyMigration(
  'AreasHistory1732500010100',
  [AREAS_TABLE],
  [{ name: 'areas', tables: ['areas', 'area_partners'] }],
);

/** The areas context's migrations, in order. */
export const AREAS_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateAreas1732500001000,
  AreasHistory1732500010100,
  currentVersionsMigration('AreasCurrentVersions1732500011100', [AREAS_TABLE]),
];
