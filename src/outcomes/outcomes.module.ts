import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AreaOutcomesHandler } from './commands/area-outcomes.commands.js';
import { IndicatorCatalogueHandler } from './commands/indicator.commands.js';
import { PeriodicReturnHandler } from './commands/return.commands.js';
import { AreaOutcomesResolver } from './graphql/area-outcomes.resolver.js';
import { IndicatorResolver } from './graphql/indicator.resolver.js';
import { AreaIndicatorResolver, MeasurementResolver } from './graphql/measurement.resolver.js';
import { PeriodicReturnResolver } from './graphql/return.resolver.js';
import { OutcomesProjection } from './projections/outcomes.projection.js';
import { ReturnsProjection } from './projections/returns.projection.js';

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
