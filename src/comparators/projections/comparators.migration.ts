import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateComparators1732500013000 implements MigrationInterface {
  name = 'CreateComparators1732500013000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE public_values (
      area_code text NOT NULL,
      indicator_code text NOT NULL,
      period text NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      value float8 NOT NULL,
      source text NOT NULL,
      digest text NOT NULL,
      row int NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (indicator_code, area_code, period_start, period_end)
    )`);
    await q.query(`CREATE TABLE public_councils (code text PRIMARY KEY, name text)`);
    await q.query(`CREATE TABLE public_indicators (code text PRIMARY KEY, name text)`);
    await q.query(`CREATE TABLE public_data_imports (
      digest text PRIMARY KEY,
      file_name text NOT NULL,
      row_count int NOT NULL,
      rows_recorded int NOT NULL DEFAULT 0,
      imported_at timestamptz NOT NULL,
      imported_by text
    )`);
    await q.query(`CREATE TABLE comparator_choices (
      pilot_code text PRIMARY KEY,
      method text NOT NULL,
      characteristics text[] NOT NULL,
      period text,
      comparators jsonb NOT NULL,
      reason text NOT NULL,
      revision int NOT NULL,
      chosen_at timestamptz NOT NULL,
      chosen_by text
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE comparator_choices, public_data_imports, public_indicators, public_councils, public_values',
    );
  }
}

/** The comparators context's migrations, in order. */
export const COMPARATORS_MIGRATIONS: (new () => MigrationInterface)[] = [CreateComparators1732500013000];
