import type { MigrationInterface, QueryRunner } from 'typeorm';

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

/**
 * Adds the areas' history table and empties their read models, to be projected anew. Frozen: the SQL that
 * `historyMigration` built from the table spec when it was released (a later edit of the spec changes no old migration).
 */
export class AreasHistory1732500010100 implements MigrationInterface {
  name = 'AreasHistory1732500010100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "areas_history" (
    "code" text,
    "name" text,
    "kind" text,
    "region" text,
    "registered_at" timestamptz,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE INDEX "areas_history_key" ON "areas_history" ("code", valid_to)');
    await q.query('TRUNCATE "areas", "area_partners"');
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['areas']]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "areas_history"');
  }
}

/**
 * Moves the areas' current versions from the history to the live table (`valid_from`). Frozen: the SQL that
 * `currentVersionsMigration` built from the table spec when it was released.
 */
export class AreasCurrentVersions1732500011100 implements MigrationInterface {
  name = 'AreasCurrentVersions1732500011100';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "areas" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      `UPDATE "areas" AS t SET valid_from = h.valid_from FROM "areas_history" AS h WHERE t."code" = h."code" AND h.valid_to = 'infinity'`,
    );
    await q.query(`DELETE FROM "areas_history" WHERE valid_to = 'infinity'`);
    await q.query('DROP INDEX IF EXISTS "areas_history_current"');
  }
  async down(): Promise<void> {
    throw new Error('AreasCurrentVersions1732500011100 cannot be undone');
  }
}

/** The areas context's migrations, in order. */
export const AREAS_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateAreas1732500001000,
  AreasHistory1732500010100,
  AreasCurrentVersions1732500011100,
];
