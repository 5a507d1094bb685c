import type { MigrationInterface, QueryRunner } from 'typeorm';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { FUNDING_VERSIONED_TABLES } from './funding.projection.js';

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

/** The funding context's migrations, in order. */
export const FUNDING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateFunding1732500004000,
  historyMigration('FundingHistory1732500010400', FUNDING_VERSIONED_TABLES, [
    {
      name: 'funding',
      tables: [
        'funding_years',
        'funding_allocations',
        'funding_commitments',
        'funding_spend',
        'funding_match',
      ],
    },
  ]),
  currentVersionsMigration('FundingCurrentVersions1732500011400', FUNDING_VERSIONED_TABLES),
  FundingAwardDates1732500014100,
];
