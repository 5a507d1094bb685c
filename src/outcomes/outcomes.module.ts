import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AreaOutcomesHandler } from './commands/area-outcomes.commands.js';
import { IndicatorCatalogueHandler } from './commands/indicator.commands.js';
import { PeriodicReturnHandler } from './commands/return.commands.js';
import { AreaOutcomesResolver } from './graphql/area-outcomes.resolver.js';
import { IndicatorResolver } from './graphql/indicator.resolver.js';
import { AreaIndicatorResolver, MeasurementResolver } from './graphql/measurement.resolver.js';
import { PeriodicReturnResolver } from './graphql/return.resolver.js';
import {
  CreateOutcomes1732500005000,
  CreatePeriodicReturns1732500005100,
} from './projections/outcomes.migration.js';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import {
  AREA_INDICATORS_TABLE,
  CATALOGUE_TABLE,
  MEASUREMENTS_TABLE,
  OutcomesProjection,
} from './projections/outcomes.projection.js';
import { RETURNS_TABLE, ReturnsProjection } from './projections/returns.projection.js';

export const OUTCOMES_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutcomes1732500005000,
  CreatePeriodicReturns1732500005100,
  historyMigration(
    'OutcomesHistory1732500010500',
    [CATALOGUE_TABLE, AREA_INDICATORS_TABLE, MEASUREMENTS_TABLE, RETURNS_TABLE],
    [
      { name: 'outcomes', tables: ['indicator_catalogue', 'area_indicators', 'measurements'] },
      { name: 'returns', tables: ['periodic_returns'] },
    ],
  ),
  currentVersionsMigration('OutcomesCurrentVersions1732500011500', [
    CATALOGUE_TABLE,
    AREA_INDICATORS_TABLE,
    MEASUREMENTS_TABLE,
    RETURNS_TABLE,
  ]),
];

@Module({
  imports: [CqrsModule],
  providers: [
    IndicatorCatalogueHandler,
    AreaOutcomesHandler,
    PeriodicReturnHandler,
    OutcomesProjection,
    ReturnsProjection,
    IndicatorResolver,
    AreaIndicatorResolver,
    MeasurementResolver,
    PeriodicReturnResolver,
    AreaOutcomesResolver,
  ],
})
export class OutcomesModule {}
