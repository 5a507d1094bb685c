import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the 'actions' projection. */
export class CreateActions1732500003000 implements MigrationInterface {
  name = 'CreateActions1732500003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE actions (
      id uuid PRIMARY KEY,
      area_code text NOT NULL,
      title text NOT NULL,
      description text NOT NULL,
      status text NOT NULL,
      themes text[] NOT NULL,
      lead_partner_id text NOT NULL,
      partner_ids text[] NOT NULL,
      planned_start date NOT NULL,
      planned_end date NOT NULL,
      started_on date,
      completed_on date,
      summary text,
      paused_on date,
      paused_reason text,
      cancelled_on date,
      cancelled_reason text,
      milestones jsonb NOT NULL,
      revision bigint NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    // Keyset pagination is ordered by (planned_start, id): one index per filter combination that lists.
    await q.query('CREATE INDEX actions_start ON actions (planned_start, id)');
    await q.query('CREATE INDEX actions_area_start ON actions (area_code, planned_start, id)');
    await q.query('CREATE INDEX actions_area_status_start ON actions (area_code, status, planned_start, id)');
    await q.query('CREATE INDEX actions_status_start ON actions (status, planned_start, id)');
    await q.query('CREATE INDEX actions_themes ON actions USING gin (themes)');

    await q.query(`CREATE TABLE area_action_counts (
      area_code text NOT NULL,
      status text NOT NULL,
      theme text NOT NULL,
      count int NOT NULL CHECK (count >= 0),
      PRIMARY KEY (area_code, status, theme)
    )`);
    await q.query('CREATE INDEX area_action_counts_status_theme ON area_action_counts (status, theme)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE area_action_counts');
    await q.query('DROP TABLE actions');
  }
}

/**
 * Adds the history tables of actions and their status counts and empties its read models, to be projected anew. Frozen: the SQL
 * that `historyMigration` built from the table specs when it was released (a later edit of a spec changes no
 * old migration).
 */
export class ActionsHistory1732500010300 implements MigrationInterface {
  name = 'ActionsHistory1732500010300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "actions_history" (
    "id" uuid,
    "area_code" text,
    "title" text,
    "description" text,
    "status" text,
    "themes" text[],
    "lead_partner_id" text,
    "partner_ids" text[],
    "planned_start" date,
    "planned_end" date,
    "started_on" date,
    "completed_on" date,
    "summary" text,
    "paused_on" date,
    "paused_reason" text,
    "cancelled_on" date,
    "cancelled_reason" text,
    "milestones" jsonb,
    "revision" bigint,
    "created_at" timestamptz,
    "updated_at" timestamptz,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE INDEX "actions_history_key" ON "actions_history" ("id", valid_to)');
    await q.query(
      'CREATE INDEX "actions_history_1" ON "actions_history" (area_code, planned_start, id, valid_to, valid_from)',
    );
    await q.query(`CREATE TABLE "action_status_counts_history" (
    "area_code" text,
    "status" text,
    "counts" jsonb,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "action_status_counts_history_scope" ON "action_status_counts_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query('TRUNCATE "actions", "area_action_counts"');
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['actions']]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "actions_history"');
    await q.query('DROP TABLE "action_status_counts_history"');
  }
}

/**
 * Moves the current versions of actions and their status counts (which had a history only: their current versions get a table of their own); an area's actions at an instant are then listed from the `actions_area_start` index's entries alone from the histories to the live tables (`valid_from`,
 * `version_<column>`). Frozen: the SQL that `currentVersionsMigration` built from the table specs when it was
 * released.
 */
export class ActionsCurrentVersions1732500011300 implements MigrationInterface {
  name = 'ActionsCurrentVersions1732500011300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE action_status_counts (
      area_code text NOT NULL,
      status text NOT NULL,
      counts jsonb NOT NULL,
      valid_from timestamptz,
      PRIMARY KEY (area_code, status)
    )`);
    await q.query(`INSERT INTO action_status_counts (area_code, status, counts)
      SELECT area_code, status, counts FROM action_status_counts_history WHERE valid_to = 'infinity'`);
    await q.query('ALTER TABLE "actions" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      'UPDATE "actions" AS t SET valid_from = h.valid_from FROM "actions_history" AS h WHERE t."id" = h."id" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "actions_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "actions_history_current"');
    await q.query('ALTER TABLE "action_status_counts" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      'UPDATE "action_status_counts" AS t SET valid_from = h.valid_from FROM "action_status_counts_history" AS h WHERE t."area_code" = h."area_code" AND t."status" = h."status" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "action_status_counts_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "action_status_counts_history_current"');
    await q.query('DROP INDEX IF EXISTS "action_status_counts_history_key"');
    await q.query('DROP INDEX actions_area_start');
    await q.query(
      'CREATE INDEX actions_area_start ON actions (area_code, planned_start, id) INCLUDE (valid_from)',
    );
  }
  async down(): Promise<void> {
    throw new Error('ActionsCurrentVersions1732500011300 cannot be undone');
  }
}

/**
 * Actions counted by the financial years they are active in (`action_year_counts`, with its history). The
 * counts are the log's to tell, as they stood at every instant: the actions projection starts again from the
 * first event (its tables emptied, history included, and its checkpoint dropped), as a rebuild would.
 */
export class ActionYearCounts1732500012300 implements MigrationInterface {
  name = 'ActionYearCounts1732500012300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE action_year_counts (
      area_code text NOT NULL,
      status text NOT NULL,
      counts jsonb NOT NULL,
      valid_from timestamptz,
      PRIMARY KEY (area_code, status)
    )`);
    await q.query(`CREATE TABLE "action_year_counts_history" (
    "area_code" text,
    "status" text,
    "counts" jsonb,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "action_year_counts_history_scope" ON "action_year_counts_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(`TRUNCATE actions, actions_history, action_status_counts, action_status_counts_history,
      area_action_counts`);
    await q.query("DELETE FROM projection_checkpoints WHERE name = 'actions'");
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE action_year_counts_history');
    await q.query('DROP TABLE action_year_counts');
  }
}

/**
 * Actions counted by the financial years they are active in, a row per area, status, theme and span of years
 * (`action_year_spans`, versioned), instead of a JSON array per area and status (`action_year_counts`, dropped):
 * an action that changes status moves a handful of small rows, where it wrote a new version of two whole arrays
 * (hundreds of entries each) to the history, and a year's counts are summed from an index instead of every entry
 * of each area's arrays. The spans are the log's to tell, as they stood at every instant: the actions projection
 * starts again from the first event, as a rebuild would.
 */
export class ActionYearSpans1732500015200 implements MigrationInterface {
  name = 'ActionYearSpans1732500015200';
  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE action_year_counts_history');
    await q.query('DROP TABLE action_year_counts');
    await q.query(`CREATE TABLE action_year_spans (
      area_code text NOT NULL,
      status text NOT NULL,
      theme text NOT NULL,
      first int NOT NULL,
      last int NOT NULL,
      count int NOT NULL,
      valid_from timestamptz,
      PRIMARY KEY (area_code, status, theme, first, last)
    )`);
    // Frozen: the SQL createHistoryTable built from the YEAR_SPANS spec when this was released.
    await q.query(`CREATE TABLE "action_year_spans_history" (
    "area_code" text,
    "status" text,
    "theme" text,
    "first" int,
    "last" int,
    "count" int,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "action_year_spans_history_scope" ON "action_year_spans_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(`TRUNCATE actions, actions_history, action_status_counts, action_status_counts_history,
      area_action_counts`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'actions'`);
  }
  async down(): Promise<void> {
    throw new Error('ActionYearSpans1732500015200 cannot be undone');
  }
}

/** The delivery context's migrations, in order. */
export const DELIVERY_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateActions1732500003000,
  ActionsHistory1732500010300,
  ActionsCurrentVersions1732500011300,
  ActionYearCounts1732500012300,
  ActionYearSpans1732500015200,
];
