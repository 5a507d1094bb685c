import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `theme` under which `area_action_counts` keeps each status's total: an action with three themes counts once
 * under each of them, and once here (so totals are a read too, not a sum that would count it three times).
 */
export const ALL_THEMES = '*';

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
