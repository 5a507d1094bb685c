import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActionCommandHandler } from './commands/action.commands.js';
import { ActionConnectionResolver, ActionResolver } from './graphql/action.resolver.js';
import { AreaActionsResolver } from './graphql/area-actions.resolver.js';
import { CreateActions1732500003000 } from './projections/actions.migration.js';
import { historyMigration } from '@iap/projections';
import { STATUS_COUNTS, ACTIONS_TABLE, ActionsProjection } from './projections/actions.projection.js';

export const DELIVERY_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateActions1732500003000,
  historyMigration(
    'ActionsHistory1732500010300',
    [ACTIONS_TABLE, STATUS_COUNTS],
    [{ name: 'actions', tables: ['actions', 'area_action_counts'] }],
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
