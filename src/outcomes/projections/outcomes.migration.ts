import type { MigrationInterface, QueryRunner } from 'typeorm';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { AREA_INDICATORS_TABLE, CATALOGUE_TABLE, MEASUREMENTS_TABLE } from './outcomes.projection.js';
import { RETURNS_TABLE } from './returns.projection.js';

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

/** The outcomes context's migrations, in order. */
export const OUTCOMES_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutcomes1732500005000,
  CreatePeriodicReturns1732500005100,
  historyMigration(
    'OutcomesHistory1732500010500',
    [CATALOGUE_TABLE, AREA_INDICATORS_TABLE, MEASUREMENTS_TABLE, RETURNS_TABLE],
    [
      { name: 'outcomes', tables: ['indicator_catalogue', 'area_indicators', 'measurements'] },
      { name: 'returns', tables: ['periodic_returns'] },
    ],
  ),
  currentVersionsMigration('OutcomesCurrentVersions1732500011500', [
    CATALOGUE_TABLE,
    AREA_INDICATORS_TABLE,
    MEASUREMENTS_TABLE,
    RETURNS_TABLE,
  ]),
];
