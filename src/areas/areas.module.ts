import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegisterAreaHandler } from './commands/register-area.command.js';
import { AreaResolver } from './graphql/area.resolver.js';
import { AreaRow } from './projections/area.entity.js';
import { CreateAreas1732500001000 } from './projections/areas.migration.js';
import { AreasProjection } from './projections/areas.projection.js';

export const AREAS_MIGRATIONS = [CreateAreas1732500001000];

@Module({
  imports: [CqrsModule, TypeOrmModule.forFeature([AreaRow])],
  providers: [RegisterAreaHandler, AreasProjection, AreaResolver],
})
export class AreasModule {}
