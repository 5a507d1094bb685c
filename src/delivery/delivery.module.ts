import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActionCommandHandler } from './commands/action.commands.js';
import { ActionConnectionResolver, ActionResolver } from './graphql/action.resolver.js';
import { AreaActionsResolver } from './graphql/area-actions.resolver.js';
import { CreateActions1732500003000 } from './projections/actions.migration.js';
import { createHistoryTable, currentVersionsMigration, historyMigration } from '@iap/projections';
import {
  STATUS_COUNTS,
  ACTIONS_TABLE,
  ActionsProjection,
  YEAR_COUNTS,
} from './projections/actions.projection.js';

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
    await createHistoryTable(q, YEAR_COUNTS);
    await q.query(`TRUNCATE actions, actions_history, action_status_counts, action_status_counts_history,
      area_action_counts`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'actions'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE action_year_counts_history');
    await q.query('DROP TABLE action_year_counts');
  }
}

export const DELIVERY_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateActions1732500003000,
  historyMigration(
    'ActionsHistory1732500010300',
    [ACTIONS_TABLE, STATUS_COUNTS],
    [{ name: 'actions', tables: ['actions', 'area_action_counts'] }],
  ),
  currentVersionsMigration(
    'ActionsCurrentVersions1732500011300',
    [ACTIONS_TABLE, STATUS_COUNTS],
    async (q) => {
      // The status counts had a history only: their current versions get a table of their own.
      await q.query(`CREATE TABLE action_status_counts (
      area_code text NOT NULL,
      status text NOT NULL,
      counts jsonb NOT NULL,
      valid_from timestamptz,
      PRIMARY KEY (area_code, status)
    )`);
      await q.query(`INSERT INTO action_status_counts (area_code, status, counts)
      SELECT area_code, status, counts FROM action_status_counts_history WHERE valid_to = 'infinity'`);
    },
    async (q) => {
      // An area's actions at an instant are listed from this index's entries alone (see AreaActionsResolver).
      await q.query('DROP INDEX actions_area_start');
      await q.query(
        'CREATE INDEX actions_area_start ON actions (area_code, planned_start, id) INCLUDE (valid_from)',
      );
    },
  ),
  ActionYearCounts1732500012300,
];

@Module({
  imports: [CqrsModule],
  providers: [
    ActionCommandHandler,
    ActionsProjection,
    ActionResolver,
    ActionConnectionResolver,
    AreaActionsResolver,
  ],
})
export class DeliveryModule {}
