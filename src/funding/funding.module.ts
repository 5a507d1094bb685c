import type { MigrationInterface } from 'typeorm';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FundingCommandHandler } from './commands/funding.commands.js';
import { AreaFundingResolver, FundingResolver } from './graphql/funding.resolver.js';
import {
  CreateFunding1732500004000,
  FundingAwardDates1732500014100,
} from './projections/funding.migration.js';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { FUNDING_VERSIONED_TABLES, FundingProjection } from './projections/funding.projection.js';

export const FUNDING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateFunding1732500004000,
  historyMigration('FundingHistory1732500010400', FUNDING_VERSIONED_TABLES, [
    {
      name: 'funding',
      tables: [
        'funding_years',
        'funding_allocations',
        'funding_commitments',
        'funding_spend',
        'funding_match',
      ],
    },
  ]),
  currentVersionsMigration('FundingCurrentVersions1732500011400', FUNDING_VERSIONED_TABLES),
  FundingAwardDates1732500014100,
];

@Module({
  imports: [CqrsModule],
  providers: [FundingCommandHandler, FundingProjection, FundingResolver, AreaFundingResolver],
})
export class FundingModule {}
