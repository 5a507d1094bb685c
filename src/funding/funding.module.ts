import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FundingCommandHandler } from './commands/funding.commands.js';
import { AreaFundingResolver, FundingResolver } from './graphql/funding.resolver.js';
import { FundingProjection } from './projections/funding.projection.js';

@Module({
  imports: [CqrsModule],
  providers: [FundingCommandHandler, FundingProjection, FundingResolver, AreaFundingResolver],
})
export class FundingModule {}
