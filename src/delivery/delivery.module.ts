import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActionCommandHandler } from './commands/action.commands.js';
import { ActionConnectionResolver, ActionResolver } from './graphql/action.resolver.js';
import { AreaActionsResolver } from './graphql/area-actions.resolver.js';
import { ActionsProjection } from './projections/actions.projection.js';
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
