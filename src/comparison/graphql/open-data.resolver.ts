import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { Policies, Policy } from '@iap/auth';
import { ReadDb } from '../../shared/read-db.js';
import { grantAwards, programmeTotals } from './comparison.read.js';
import { GrantAwardType, ProgrammeSummaryType } from './comparison.types.js';

/** What the programme publishes as open data (Open Government Licence v3.0): readable by anyone. */
@Resolver()
export class OpenDataResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @Policy(Policies.anyone)
  @Query(() => [GrantAwardType], {
    description:
      "The programme's grants, published as open data: every allocation with money in it, by year, area and funding stream",
  })
  grantAwards(): Promise<GrantAwardType[]> {
    return grantAwards(this.db);
  }

  @Policy(Policies.anyone)
  @Query(() => [ProgrammeSummaryType], {
    description:
      'Totals across all pilots for every financial year with grant allocated, oldest first, published as open data',
  })
  programmeTotals(): Promise<ProgrammeSummaryType[]> {
    return programmeTotals(this.db);
  }
}
