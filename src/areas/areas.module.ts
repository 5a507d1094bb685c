import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AreaCommandHandler } from './commands/area.commands.js';
import { AreaResolver } from './graphql/area.resolver.js';
import { CreateAreas1732500001000 } from './projections/areas.migration.js';
import { currentVersionsMigration } from '@iap/projections';
import { AREAS_TABLE, AreasHistory1732500010100, AreasProjection } from './projections/areas.projection.js';

export const AREAS_MIGRATIONS = [
  CreateAreas1732500001000,
  AreasHistory1732500010100,
  currentVersionsMigration('AreasCurrentVersions1732500011100', [AREAS_TABLE]),
];

@Module({
  imports: [CqrsModule],
  providers: [AreaCommandHandler, AreasProjection, AreaResolver],
})
export class AreasModule {}
