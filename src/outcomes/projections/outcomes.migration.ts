import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the 'outcomes' projection: the indicator catalogue, areas' indicators and measurements. */
export class CreateOutcomes1732500005000 implements MigrationInterface {
  name = 'CreateOutcomes1732500005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE indicator_catalogue (
      code text PRIMARY KEY,
      name text NOT NULL,
      unit text NOT NULL,
      direction text NOT NULL,
      theme text NOT NULL,
      domain text NOT NULL,
      integration_factor text,
      definition text NOT NULL,
      source text NOT NULL,
      retired boolean NOT NULL DEFAULT false,
      retired_reason text,
      version int NOT NULL,
      defined_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      revision bigint NOT NULL
    )`);
    await q.query('CREATE INDEX indicator_catalogue_theme ON indicator_catalogue (theme)');
    await q.query('CREATE INDEX indicator_catalogue_domain ON indicator_catalogue (domain)');

    await q.query(`CREATE TABLE area_indicators (
      area_code text NOT NULL,
      indicator_code text NOT NULL,
      baseline_value numeric,
      baseline_date date,
      baseline_source text,
      targets jsonb NOT NULL DEFAULT '[]',
      latest_value numeric,
      latest_period_label text,
      latest_period_start date,
      latest_period_end date,
      previous_value numeric,
      previous_period_label text,
      previous_period_start date,
      previous_period_end date,
      measurement_count int NOT NULL DEFAULT 0,
      cumulative_value numeric,
      updated_at timestamptz NOT NULL,
      revision bigint NOT NULL,
      PRIMARY KEY (area_code, indicator_code)
    )`);
    await q.query('CREATE INDEX area_indicators_indicator ON area_indicators (indicator_code)');

    await q.query(`CREATE TABLE measurements (
      id text PRIMARY KEY,
      area_code text NOT NULL,
      indicator_code text NOT NULL,
      period_label text NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      value numeric NOT NULL,
      original_value numeric NOT NULL,
      sample_size int,
      denominator int,
      source text NOT NULL,
      evidence_url text,
      note text,
      corrections int NOT NULL DEFAULT 0,
      correction_reason text,
      recorded_at timestamptz NOT NULL,
      corrected_at timestamptz,
      revision bigint NOT NULL
    )`);
    await q.query(
      'CREATE INDEX measurements_keyset ON measurements (period_end DESC, period_start DESC, id DESC)',
    );
    await q.query(
      'CREATE INDEX measurements_area_indicator ON measurements (area_code, indicator_code, period_end)',
    );
    await q.query('CREATE INDEX measurements_indicator ON measurements (indicator_code, period_end)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE measurements');
    await q.query('DROP TABLE area_indicators');
    await q.query('DROP TABLE indicator_catalogue');
  }
}

/** Read model of the 'returns' projection. */
export class CreatePeriodicReturns1732500005100 implements MigrationInterface {
  name = 'CreatePeriodicReturns1732500005100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE periodic_returns (
      area_code text NOT NULL,
      quarter text NOT NULL,
      quarter_start date NOT NULL,
      quarter_end date NOT NULL,
      status text NOT NULL,
      note text NOT NULL DEFAULT '',
      snapshot jsonb,
      submissions int NOT NULL DEFAULT 0,
      submitted_at timestamptz,
      decided_at timestamptz,
      comments text,
      revision bigint NOT NULL,
      PRIMARY KEY (area_code, quarter)
    )`);
    await q.query('CREATE INDEX periodic_returns_status ON periodic_returns (status, quarter_start)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE periodic_returns');
  }
}

/**
 * Adds the history tables of the indicator catalogue, area indicators, measurements and periodic returns and empties its read models, to be projected anew. Frozen: the SQL
 * that `historyMigration` built from the table specs when it was released (a later edit of a spec changes no
 * old migration).
 */
export class OutcomesHistory1732500010500 implements MigrationInterface {
  name = 'OutcomesHistory1732500010500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "indicator_catalogue_history" (
    "code" text,
    "name" text,
    "unit" text,
    "direction" text,
    "theme" text,
    "domain" text,
    "integration_factor" text,
    "definition" text,
    "source" text,
    "retired" boolean,
    "retired_reason" text,
    "version" int,
    "defined_at" timestamptz,
    "updated_at" timestamptz,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "indicator_catalogue_history_key" ON "indicator_catalogue_history" ("code", valid_to)',
    );
    await q.query(`CREATE TABLE "area_indicators_history" (
    "area_code" text,
    "indicator_code" text,
    "baseline_value" numeric,
    "baseline_date" date,
    "baseline_source" text,
    "targets" jsonb,
    "updated_at" timestamptz,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "area_indicators_history_key" ON "area_indicators_history" ("area_code", "indicator_code", valid_to)',
    );
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "area_indicators_history_scope" ON "area_indicators_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query(`CREATE TABLE "measurements_history" (
    "id" text,
    "area_code" text,
    "indicator_code" text,
    "period_label" text,
    "period_start" date,
    "period_end" date,
    "value" numeric,
    "original_value" numeric,
    "sample_size" int,
    "denominator" int,
    "source" text,
    "evidence_url" text,
    "note" text,
    "corrections" int,
    "correction_reason" text,
    "recorded_at" timestamptz,
    "corrected_at" timestamptz,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE INDEX "measurements_history_key" ON "measurements_history" ("id", valid_to)');
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "measurements_history_scope" ON "measurements_history"
         USING gist ("area_code", "indicator_code", tstzrange(valid_from, valid_to))`);
    await q.query(`CREATE TABLE "periodic_returns_history" (
    "area_code" text,
    "quarter" text,
    "quarter_start" date,
    "quarter_end" date,
    "status" text,
    "note" text,
    "snapshot" jsonb,
    "submissions" int,
    "submitted_at" timestamptz,
    "decided_at" timestamptz,
    "comments" text,
    "revision" bigint,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query(
      'CREATE INDEX "periodic_returns_history_key" ON "periodic_returns_history" ("area_code", "quarter", valid_to)',
    );
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "periodic_returns_history_scope" ON "periodic_returns_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query('TRUNCATE "indicator_catalogue", "area_indicators", "measurements", "periodic_returns"');
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['outcomes', 'returns']]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "indicator_catalogue_history"');
    await q.query('DROP TABLE "area_indicators_history"');
    await q.query('DROP TABLE "measurements_history"');
    await q.query('DROP TABLE "periodic_returns_history"');
  }
}

/**
 * Moves the current versions of the indicator catalogue, area indicators, measurements and periodic returns from the histories to the live tables (`valid_from`,
 * `version_<column>`). Frozen: the SQL that `currentVersionsMigration` built from the table specs when it was
 * released.
 */
export class OutcomesCurrentVersions1732500011500 implements MigrationInterface {
  name = 'OutcomesCurrentVersions1732500011500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE "indicator_catalogue" ADD COLUMN IF NOT EXISTS valid_from timestamptz, ADD COLUMN IF NOT EXISTS "version_revision" bigint',
    );
    await q.query(
      'UPDATE "indicator_catalogue" AS t SET valid_from = h.valid_from, "version_revision" = h."revision" FROM "indicator_catalogue_history" AS h WHERE t."code" = h."code" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "indicator_catalogue_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "indicator_catalogue_history_current"');
    await q.query(
      'ALTER TABLE "area_indicators" ADD COLUMN IF NOT EXISTS valid_from timestamptz, ADD COLUMN IF NOT EXISTS "version_updated_at" timestamptz, ADD COLUMN IF NOT EXISTS "version_revision" bigint',
    );
    await q.query(
      'UPDATE "area_indicators" AS t SET valid_from = h.valid_from, "version_updated_at" = h."updated_at", "version_revision" = h."revision" FROM "area_indicators_history" AS h WHERE t."area_code" = h."area_code" AND t."indicator_code" = h."indicator_code" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "area_indicators_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "area_indicators_history_current"');
    await q.query('ALTER TABLE "measurements" ADD COLUMN IF NOT EXISTS valid_from timestamptz');
    await q.query(
      'UPDATE "measurements" AS t SET valid_from = h.valid_from FROM "measurements_history" AS h WHERE t."id" = h."id" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "measurements_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "measurements_history_current"');
    await q.query(
      'ALTER TABLE "periodic_returns" ADD COLUMN IF NOT EXISTS valid_from timestamptz, ADD COLUMN IF NOT EXISTS "version_revision" bigint',
    );
    await q.query(
      'UPDATE "periodic_returns" AS t SET valid_from = h.valid_from, "version_revision" = h."revision" FROM "periodic_returns_history" AS h WHERE t."area_code" = h."area_code" AND t."quarter" = h."quarter" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "periodic_returns_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "periodic_returns_history_current"');
  }
  async down(): Promise<void> {
    throw new Error('OutcomesCurrentVersions1732500011500 cannot be undone');
  }
}

/**
 * Per area, indicator and financial year, its measurements whose period ends in the year: the latest and previous
 * by period, how many and their total, kept by the projection (comparePilots reads a row per area and indicator
 * instead of counting and ordering the year's measurements at each request); filled here from the measurements
 * the read model holds.
 */
export class AreaIndicatorYears1732500015100 implements MigrationInterface {
  name = 'AreaIndicatorYears1732500015100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE area_indicator_years (
      area_code text NOT NULL,
      indicator_code text NOT NULL,
      year text NOT NULL,
      latest_value numeric,
      latest_period_label text,
      latest_period_start date,
      latest_period_end date,
      previous_value numeric,
      previous_period_label text,
      previous_period_start date,
      previous_period_end date,
      measurement_count int NOT NULL,
      total_value numeric,
      PRIMARY KEY (area_code, indicator_code, year)
    )`);
    const inYear = `x.area_code = k.area_code AND x.indicator_code = k.indicator_code
      AND x.period_end >= make_date(left(k.year, 4)::int, 4, 1) AND x.period_end < make_date(left(k.year, 4)::int + 1, 4, 1)`;
    const byPeriod = 'ORDER BY period_end DESC, period_start DESC, id DESC';
    await q.query(`INSERT INTO area_indicator_years
      SELECT k.area_code, k.indicator_code, k.year, l.value, l.period_label, l.period_start, l.period_end,
             p.value, p.period_label, p.period_start, p.period_end, t.n, t.total
        FROM (SELECT DISTINCT area_code, indicator_code,
                     to_char(period_end - interval '3 months', 'YYYY') || '-' || to_char(period_end + interval '9 months', 'YY') AS year
                FROM measurements) AS k
        LEFT JOIN LATERAL (SELECT value, period_label, period_start, period_end FROM measurements AS x
                            WHERE ${inYear} ${byPeriod} LIMIT 1) AS l ON true
        LEFT JOIN LATERAL (SELECT value, period_label, period_start, period_end FROM measurements AS x
                            WHERE ${inYear} ${byPeriod} OFFSET 1 LIMIT 1) AS p ON true
        CROSS JOIN LATERAL (SELECT count(*)::int AS n, sum(value) AS total FROM measurements AS x WHERE ${inYear}) AS t`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE area_indicator_years');
  }
}

/** The outcomes context's migrations, in order. */
export const OUTCOMES_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutcomes1732500005000,
  CreatePeriodicReturns1732500005100,
  OutcomesHistory1732500010500,
  OutcomesCurrentVersions1732500011500,
  AreaIndicatorYears1732500015100,
];
