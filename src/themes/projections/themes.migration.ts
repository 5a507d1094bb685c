import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateThemes1732500002000 implements MigrationInterface {
  name = 'CreateThemes1732500002000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE themes (
      code text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      description text NOT NULL,
      retired boolean NOT NULL DEFAULT false,
      version int NOT NULL
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE themes');
  }
}

/**
 * Adds the history tables of the themes and empties its read models, to be projected anew. Frozen: the SQL
 * that `historyMigration` built from the table specs when it was released (a later edit of a spec changes no
 * old migration).
 */
export class ThemesHistory1732500010200 implements MigrationInterface {
  name = 'ThemesHistory1732500010200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "themes_history" (
    "code" text,
    "name" text,
    "kind" text,
    "description" text,
    "retired" boolean,
    "version" int,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE INDEX "themes_history_key" ON "themes_history" ("code", valid_to)');
    await q.query('TRUNCATE "themes"');
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['themes']]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "themes_history"');
  }
}

/**
 * Moves the current versions of the themes from the histories to the live tables (`valid_from`,
 * `version_<column>`). Frozen: the SQL that `currentVersionsMigration` built from the table specs when it was
 * released.
 */
export class ThemesCurrentVersions1732500011200 implements MigrationInterface {
  name = 'ThemesCurrentVersions1732500011200';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "themes" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      'UPDATE "themes" AS t SET valid_from = h.valid_from FROM "themes_history" AS h WHERE t."code" = h."code" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "themes_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "themes_history_current"');
  }
  async down(): Promise<void> {
    throw new Error('ThemesCurrentVersions1732500011200 cannot be undone');
  }
}

/** The themes context's migrations, in order. */
export const THEMES_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateThemes1732500002000,
  ThemesHistory1732500010200,
  ThemesCurrentVersions1732500011200,
];
