import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AreaCommandHandler } from './commands/area.commands.js';
import { AreaResolver } from './graphql/area.resolver.js';
import { AreasProjection } from './projections/areas.projection.js';

@Module({
  imports: [CqrsModule],
  providers: [AreaCommandHandler, AreasProjection, AreaResolver],
})
export class AreasModule {}
