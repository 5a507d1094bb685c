import { Global, Module } from '@nestjs/common';
import { AsOfService } from './as-of.service.js';
import { ComparisonResolver } from './graphql/comparison.resolver.js';
import { OpenDataResolver } from './graphql/open-data.resolver.js';

/** Cross-area read side: the pilots compared, programme totals, series for charts, and "as it stood then". */
@Global()
@Module({ providers: [AsOfService, ComparisonResolver, OpenDataResolver], exports: [AsOfService] })
export class ComparisonModule {}
