import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActionCommandHandler } from './commands/action.commands.js';
import { ActionConnectionResolver, ActionResolver } from './graphql/action.resolver.js';
import { AreaActionsResolver } from './graphql/area-actions.resolver.js';
import { CreateActions1732500003000 } from './projections/actions.migration.js';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { STATUS_COUNTS, ACTIONS_TABLE, ActionsProjection } from './projections/actions.projection.js';

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
