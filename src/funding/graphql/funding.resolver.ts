import { Policies, Policy, inputField } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { randomUUID } from 'node:crypto';
import { AreaType } from '../../areas/public-api.js';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext, loaderFor } from '../../shared/graphql-context.js';
import { requireFinancialYear } from '../../shared/periods.js';
import { AreaFundingCommand, type FundingRequest } from '../commands/funding.command.js';
import type { FundingState } from '../domain/funding.js';
import {
  allocationsByKey,
  commitmentsByKey,
  fundingYearsByArea,
  fundingYearWritten,
  fundingYearsByKey,
  matchByKey,
  spendByKey,
  yearKey,
} from './funding.read.js';
import {
  AllocateGrantInput,
  ApproveOverspendInput,
  CommitFundsInput,
  CommitmentType,
  CorrectSpendInput,
  FundingStreamAllocationType,
  FundingYearType,
  MatchFundingType,
  QuarterSpendType,
  RecordMatchFundingInput,
  ReduceAllocationInput,
  ReportSpendInput,
  ReprofileAllocationInput,
} from './funding.types.js';

@Resolver(() => FundingYearType)
export class FundingResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  // ------------------------------------------------------------------------------------------ nested fields

  @ResolveField(() => [FundingStreamAllocationType], { description: 'The allocation by funding stream' })
  byStream(
    @Parent() y: FundingYearType,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingStreamAllocationType[]> {
    return this.part(y, ctx, 'byStream', 'fundingAllocations', allocationsByKey);
  }

  @ResolveField(() => [CommitmentType], { description: 'Funds committed to actions in the year' })
  commitments(@Parent() y: FundingYearType, @Context() ctx: GraphQLContext): Promise<CommitmentType[]> {
    return this.part(y, ctx, 'commitments', 'fundingCommitments', commitmentsByKey);
  }

  @ResolveField(() => [QuarterSpendType], {
    description: "Spend reported in the year's quarters, by quarter and action",
  })
  spend(@Parent() y: FundingYearType, @Context() ctx: GraphQLContext): Promise<QuarterSpendType[]> {
    return this.part(y, ctx, 'spend', 'fundingSpend', spendByKey);
  }

  @ResolveField(() => [MatchFundingType], {
    description: "Partners' match funding in the year, oldest first",
  })
  match(@Parent() y: FundingYearType, @Context() ctx: GraphQLContext): Promise<MatchFundingType[]> {
    return this.part(y, ctx, 'match', 'fundingMatch', matchByKey);
  }

  /**
   * One list of a funding year: the one written with it (a mutation's answer, folded from its events), else the
   * read model's, loaded together with the same list of every other year the request asks for.
   */
  private part<K extends keyof NonNullable<FundingYearType['written']>>(
    y: FundingYearType,
    ctx: GraphQLContext,
    part: K,
    loader: string,
    read: (db: ReadDb, keys: readonly string[]) => Promise<NonNullable<FundingYearType['written']>[K][]>,
  ): Promise<NonNullable<FundingYearType['written']>[K]> {
    if (y.written) return Promise.resolve(y.written[part]);
    return loaderFor(ctx, loader, (keys: readonly string[]) => read(this.db, keys)).load(
      yearKey(y.areaCode, y.year),
    );
  }

  // ---------------------------------------------------------------------------------------------- mutations

  @Policy(Policies.central)
  @Mutation(() => FundingYearType, {
    description: 'Allocates grant to a pilot area for a year from a funding stream (central team)',
  })
  async allocateGrant(
    @Args('input') input: AllocateGrantInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, year, fundingStream, amountPence, note, awardedOn } = input;
    const result = await this.run(
      {
        type: 'AllocateGrant',
        areaCode,
        year,
        fundingStream,
        amountPence,
        note: note ?? '',
        ...(awardedOn == null ? {} : { awardedOn }),
      },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, year);
  }

  @Policy(Policies.central)
  @Mutation(() => [FundingYearType], {
    description:
      "Moves part of a year's allocation to another year (central team); answers both years, from then to",
  })
  async reprofileAllocation(
    @Args('input') input: ReprofileAllocationInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType[]> {
    const { areaCode, fromYear, toYear, fundingStream, amountPence, reason } = input;
    const result = await this.run(
      { type: 'ReprofileAllocation', areaCode, fromYear, toYear, fundingStream, amountPence, reason },
      input,
      ctx,
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['funding'],
      async () => {
        const rows = await fundingYearsByKey(this.db, [
          yearKey(areaCode, fromYear),
          yearKey(areaCode, toYear),
        ]);
        return rows.every((r) => r !== null) ? rows : null;
      },
      (stream) => [
        fundingYearWritten(stream, areaCode, fromYear),
        fundingYearWritten(stream, areaCode, toYear),
      ],
    );
  }

  @Policy(Policies.central)
  @Mutation(() => FundingYearType, {
    description: 'Claws back part of an uncommitted allocation (central team)',
  })
  async reduceAllocation(
    @Args('input') input: ReduceAllocationInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, year, fundingStream, amountPence, reason } = input;
    const result = await this.run(
      { type: 'ReduceAllocation', areaCode, year, fundingStream, amountPence, reason },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, year);
  }

  @Policy(Policies.central)
  @Mutation(() => FundingYearType, {
    description:
      'Lets an area commit more than its allocation for a year, by the amount given (central team)',
  })
  async approveOverspend(
    @Args('input') input: ApproveOverspendInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, year, amountPence, reason } = input;
    const result = await this.run(
      { type: 'ApproveOverspend', areaCode, year, amountPence, reason },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, year);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'spend'))
  @Mutation(() => FundingYearType, {
    description: "Commits part of a year's funding to one of the area's actions",
  })
  async commitFunds(
    @Args('input') input: CommitFundsInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, actionId, year, amountPence, note } = input;
    const result = await this.run(
      { type: 'CommitFunds', areaCode, actionId, year, amountPence, note: note ?? '' },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, year);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'spend'))
  @Mutation(() => FundingYearType, {
    description:
      "Reports a quarter's spend on a committed action (once per action and quarter: then use correctSpend)",
  })
  async reportSpend(
    @Args('input') input: ReportSpendInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, actionId, quarter, amountPence, note } = input;
    const result = await this.run(
      { type: 'ReportSpend', areaCode, actionId, quarter, amountPence, note: note ?? '' },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, quarter.slice(0, 7));
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'spend'))
  @Mutation(() => FundingYearType, {
    description:
      "Corrects a quarter's reported spend; the original figure stays visible (originalPence, history)",
  })
  async correctSpend(
    @Args('input') input: CorrectSpendInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, actionId, quarter, amountPence, reason } = input;
    const result = await this.run(
      { type: 'CorrectSpend', areaCode, actionId, quarter, amountPence, reason },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, quarter.slice(0, 7));
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'match funding'))
  @Mutation(() => FundingYearType, { description: "Records a partner's match funding, in cash or in kind" })
  async recordMatchFunding(
    @Args('input') input: RecordMatchFundingInput,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType> {
    const { areaCode, partnerId, year, kind, amountPence, description } = input;
    const matchId = input.commandId ? idFromCommand(input.commandId, 'match-funding') : randomUUID();
    const result = await this.run(
      {
        type: 'RecordMatchFunding',
        areaCode,
        matchId,
        partnerId,
        actionId: input.actionId ?? null,
        year,
        kind,
        amountPence,
        description,
      },
      input,
      ctx,
    );
    return this.year(ctx, result, areaCode, year);
  }

  private run(
    command: FundingRequest,
    input: CommandInput,
    ctx: GraphQLContext,
  ): Promise<HandleResult<FundingState>> {
    return this.commands.execute(new AreaFundingCommand(command, commandEnvelope(ctx, input)));
  }

  /** The area's year after a command: from the read model once it holds the command, else from the events. */
  private year(
    ctx: GraphQLContext,
    result: HandleResult<FundingState>,
    areaCode: string,
    year: string,
  ): Promise<FundingYearType> {
    return this.readYourWrites.answer(
      ctx,
      result,
      ['funding'],
      async () => (await fundingYearsByKey(this.db, [yearKey(areaCode, year)]))[0],
      (stream) => fundingYearWritten(stream, areaCode, year),
    );
  }
}

/** Funding fields on an area. */
@Resolver(() => AreaType)
export class AreaFundingResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => FundingYearType, {
    nullable: true,
    description:
      "The area's funding in one financial year (e.g. 2019-20); null when nothing is recorded for it",
  })
  funding(
    @Parent() area: AreaType,
    @Args('year', { type: () => String }) year: string,
    @Context() ctx: GraphQLContext,
  ): Promise<FundingYearType | null> {
    requireFinancialYear('year', year);
    return loaderFor(ctx, 'fundingYear', (keys: readonly string[]) => fundingYearsByKey(this.db, keys)).load(
      yearKey(area.code, year),
    );
  }

  @ResolveField(() => [FundingYearType], { description: "The area's funding, year by year" })
  fundingYears(@Parent() area: AreaType, @Context() ctx: GraphQLContext): Promise<FundingYearType[]> {
    return loaderFor(ctx, 'fundingYearsByArea', (codes: readonly string[]) =>
      fundingYearsByArea(this.db, codes),
    ).load(area.code);
  }
}
