import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChooseComparatorsHandler, ImportPublicValuesHandler } from './commands/comparators.commands.js';
import { ComparatorsResolver } from './graphql/comparators.resolver.js';
import { ComparatorsProjection } from './projections/comparators.projection.js';

/** Pilots against comparable councils: public indicator values, comparator choices, difference in differences. */
@Module({
  imports: [CqrsModule],
  providers: [
    ImportPublicValuesHandler,
    ChooseComparatorsHandler,
    ComparatorsProjection,
    ComparatorsResolver,
  ],
})
export class ComparatorsModule {}
