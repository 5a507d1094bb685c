import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the funding projection. Every money column is bigint pence. */
export class CreateFunding1732500004000 implements MigrationInterface {
  name = 'CreateFunding1732500004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE funding_years (
      area_code text NOT NULL,
      year text NOT NULL,
      allocated_pence bigint NOT NULL DEFAULT 0,
      committed_pence bigint NOT NULL DEFAULT 0,
      spent_pence bigint NOT NULL DEFAULT 0,
      match_cash_pence bigint NOT NULL DEFAULT 0,
      match_in_kind_pence bigint NOT NULL DEFAULT 0,
      overspend_approved_pence bigint NOT NULL DEFAULT 0,
      revision bigint NOT NULL,
      PRIMARY KEY (area_code, year)
    )`);
    await q.query(`CREATE TABLE funding_allocations (
      area_code text NOT NULL,
      year text NOT NULL,
      funding_stream text NOT NULL,
      allocated_pence bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (area_code, year, funding_stream)
    )`);
    await q.query(`CREATE TABLE funding_commitments (
      area_code text NOT NULL,
      year text NOT NULL,
      action_id text NOT NULL,
      committed_pence bigint NOT NULL DEFAULT 0,
      spent_pence bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (area_code, year, action_id)
    )`);
    await q.query('CREATE INDEX funding_commitments_action ON funding_commitments (action_id)');
    await q.query(`CREATE TABLE funding_spend (
      area_code text NOT NULL,
      action_id text NOT NULL,
      quarter text NOT NULL,
      year text NOT NULL,
      amount_pence bigint NOT NULL,
      original_pence bigint NOT NULL,
      corrections int NOT NULL DEFAULT 0,
      note text NOT NULL,
      reported_at timestamptz NOT NULL,
      corrected_at timestamptz,
      PRIMARY KEY (area_code, action_id, quarter)
    )`);
    await q.query('CREATE INDEX funding_spend_area_quarter ON funding_spend (area_code, quarter)');
    await q.query('CREATE INDEX funding_spend_area_year ON funding_spend (area_code, year)');
    await q.query(`CREATE TABLE funding_match (
      match_id text PRIMARY KEY,
      area_code text NOT NULL,
      partner_id text NOT NULL,
      action_id text,
      year text NOT NULL,
      kind text NOT NULL,
      amount_pence bigint NOT NULL,
      description text NOT NULL,
      recorded_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX funding_match_area_year ON funding_match (area_code, year)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE funding_match');
    await q.query('DROP TABLE funding_spend');
    await q.query('DROP TABLE funding_commitments');
    await q.query('DROP TABLE funding_allocations');
    await q.query('DROP TABLE funding_years');
  }
}

/**
 * Each allocation's award date (`awarded_at`: when it was first made), for the grants published as open data. The
 * funding read models are projected again from the first event, so that every allocation has it.
 */
export class FundingAwardDates1732500014100 implements MigrationInterface {
  name = 'FundingAwardDates1732500014100';

  async up(q: QueryRunner): Promise<void> {
    // The history table already has it on a database made since: FundingHistory makes it from the table's spec.
    await q.query('ALTER TABLE funding_allocations ADD COLUMN IF NOT EXISTS awarded_at timestamptz');
    await q.query('ALTER TABLE funding_allocations_history ADD COLUMN IF NOT EXISTS awarded_at timestamptz');
    await q.query(`TRUNCATE funding_years, funding_years_history, funding_allocations, funding_allocations_history,
      funding_commitments, funding_commitments_history, funding_spend, funding_spend_history, funding_match`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'funding'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE funding_allocations_history DROP COLUMN awarded_at');
    await q.query('ALTER TABLE funding_allocations DROP COLUMN awarded_at');
  }
}

/**
 * Adds the funding read models' history tables and empties them, to be projected anew. Frozen: the SQL that
 * `historyMigration` built from the table specs when it was released (a later edit of a spec changes no old
 * migration). Databases made before the award dates had no awarded_at here: FundingAwardDates adds it if missing.
 */
export class FundingHistory1732500010400 implements MigrationInterface {
  name = 'FundingHistory1732500010400';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "funding_years_history" (
    "area_code" text,
    "year" text,
    "allocated_pence" bigint,
    "committed_pence" bigint,
    "spent_pence" bigint,
    "match_cash_pence" bigint,
    "match_in_kind_pence" bigint,
    "overspend_approved_pence" bigint,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "funding_years_history_scope" ON "funding_years_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(`CREATE TABLE "funding_allocations_history" (
    "area_code" text,
    "year" text,
    "funding_stream" text,
    "allocated_pence" bigint,
    "awarded_at" timestamptz,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "funding_allocations_history_key" ON "funding_allocations_history" ("area_code", "year", "funding_stream", valid_to)',
    );
    await q.query(`CREATE TABLE "funding_commitments_history" (
    "area_code" text,
    "year" text,
    "action_id" text,
    "committed_pence" bigint,
    "spent_pence" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "funding_commitments_history_key" ON "funding_commitments_history" ("area_code", "year", "action_id", valid_to)',
    );
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "funding_commitments_history_scope" ON "funding_commitments_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(`CREATE TABLE "funding_spend_history" (
    "area_code" text,
    "action_id" text,
    "quarter" text,
    "year" text,
    "amount_pence" bigint,
    "original_pence" bigint,
    "corrections" int,
    "note" text,
    "reported_at" timestamptz,
    "corrected_at" timestamptz,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "funding_spend_history_key" ON "funding_spend_history" ("area_code", "action_id", "quarter", valid_to)',
    );
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "funding_spend_history_scope" ON "funding_spend_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(
      'TRUNCATE "funding_years", "funding_allocations", "funding_commitments", "funding_spend", "funding_match"',
    );
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['funding']]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "funding_years_history"');
    await q.query('DROP TABLE "funding_allocations_history"');
    await q.query('DROP TABLE "funding_commitments_history"');
    await q.query('DROP TABLE "funding_spend_history"');
  }
}

/**
 * Moves the funding read models' current versions from the histories to the live tables (`valid_from`,
 * `version_<column>`). Frozen: the SQL that `currentVersionsMigration` built from the table specs when it was released.
 */
export class FundingCurrentVersions1732500011400 implements MigrationInterface {
  name = 'FundingCurrentVersions1732500011400';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE "funding_years" ADD COLUMN IF NOT EXISTS valid_from timestamptz, ADD COLUMN IF NOT EXISTS "version_revision" bigint',
    );
    await q.query(
      `UPDATE "funding_years" AS t SET valid_from = h.valid_from, "version_revision" = h."revision" FROM "funding_years_history" AS h WHERE t."area_code" = h."area_code" AND t."year" = h."year" AND h.valid_to = 'infinity'`,
    );
    await q.query(`DELETE FROM "funding_years_history" WHERE valid_to = 'infinity'`);
    await q.query('DROP INDEX IF EXISTS "funding_years_history_current"');
    await q.query('DROP INDEX IF EXISTS "funding_years_history_key"');
    await q.query('ALTER TABLE "funding_allocations" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      `UPDATE "funding_allocations" AS t SET valid_from = h.valid_from FROM "funding_allocations_history" AS h WHERE t."area_code" = h."area_code" AND t."year" = h."year" AND t."funding_stream" = h."funding_stream" AND h.valid_to = 'infinity'`,
    );
    await q.query(`DELETE FROM "funding_allocations_history" WHERE valid_to = 'infinity'`);
    await q.query('DROP INDEX IF EXISTS "funding_allocations_history_current"');
    await q.query('ALTER TABLE "funding_commitments" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      `UPDATE "funding_commitments" AS t SET valid_from = h.valid_from FROM "funding_commitments_history" AS h WHERE t."area_code" = h."area_code" AND t."year" = h."year" AND t."action_id" = h."action_id" AND h.valid_to = 'infinity'`,
    );
    await q.query(`DELETE FROM "funding_commitments_history" WHERE valid_to = 'infinity'`);
    await q.query('DROP INDEX IF EXISTS "funding_commitments_history_current"');
    await q.query('ALTER TABLE "funding_spend" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      `UPDATE "funding_spend" AS t SET valid_from = h.valid_from FROM "funding_spend_history" AS h WHERE t."area_code" = h."area_code" AND t."action_id" = h."action_id" AND t."quarter" = h."quarter" AND h.valid_to = 'infinity'`,
    );
    await q.query(`DELETE FROM "funding_spend_history" WHERE valid_to = 'infinity'`);
    await q.query('DROP INDEX IF EXISTS "funding_spend_history_current"');
  }
  async down(): Promise<void> {
    throw new Error('FundingCurrentVersions1732500011400 cannot be undone');
  }
}

/** The funding context's migrations, in order. */
export const FUNDING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateFunding1732500004000,
  FundingHistory1732500010400,
  FundingCurrentVersions1732500011400,
  FundingAwardDates1732500014100,
];
