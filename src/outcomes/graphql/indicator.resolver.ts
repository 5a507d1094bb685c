import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError } from '@iap/common';
import type { HandleResult } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { indicatorWritten } from './outcomes.written.js';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext } from '../../shared/graphql-context.js';
import { IndicatorCatalogueCommand, type IndicatorRequest } from '../commands/indicator.command.js';
import { INDICATOR_CODE, INDICATOR_CODE_MESSAGE, type IndicatorCatalogue } from '../domain/indicator.js';
import {
  DefineIndicatorInput,
  IndicatorType,
  IntegrationDomainEnum,
  RetireIndicatorInput,
  ReviseIndicatorInput,
} from './outcomes.types.js';
import { indicatorCatalogue, indicatorsByCode } from './outcomes.read.js';

@Resolver(() => IndicatorType)
export class IndicatorResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.signedIn)
  @Query(() => [IndicatorType], {
    description: 'The indicator catalogue by code, optionally for one theme or domain',
  })
  indicatorCatalogue(
    @Args('theme', { type: () => String, nullable: true }) theme: string | null,
    @Args('domain', { type: () => IntegrationDomainEnum, nullable: true })
    domain: IntegrationDomainEnum | null,
    @Args('includeRetired', { type: () => Boolean, defaultValue: false }) includeRetired: boolean,
  ): Promise<IndicatorType[]> {
    if (theme != null && !INDICATOR_CODE.test(theme)) {
      throw BadUserInputError.field('theme', 'must be a theme code such as ENGLISH_LANGUAGE');
    }
    return indicatorCatalogue(this.db, theme ?? null, domain ?? null, includeRetired);
  }

  @Policy(Policies.signedIn)
  @Query(() => IndicatorType, { nullable: true, description: 'One indicator by its code' })
  async indicator(@Args('code', { type: () => String }) code: string): Promise<IndicatorType | null> {
    if (!INDICATOR_CODE.test(code)) throw BadUserInputError.field('code', INDICATOR_CODE_MESSAGE);
    const [row] = await indicatorsByCode(this.db, [code]);
    return row;
  }

  @Policy(Policies.central)
  @Mutation(() => IndicatorType, { description: 'Adds an indicator to the catalogue (central team)' })
  defineIndicator(
    @Args('input') input: DefineIndicatorInput,
    @Context() ctx: GraphQLContext,
  ): Promise<IndicatorType> {
    const { code, name, unit, direction, theme, domain, integrationFactor, definition, source } = input;
    return this.run(
      {
        type: 'DefineIndicator',
        code,
        name,
        unit,
        direction,
        theme,
        domain,
        integrationFactor,
        definition,
        source,
      },
      input,
      ctx,
    );
  }

  @Policy(Policies.central)
  @Mutation(() => IndicatorType, {
    description: "Changes an indicator's description (not its unit or direction)",
  })
  reviseIndicator(
    @Args('input') input: ReviseIndicatorInput,
    @Context() ctx: GraphQLContext,
  ): Promise<IndicatorType> {
    const { code, name, theme, domain, integrationFactor, definition, source } = input;
    return this.run(
      { type: 'ReviseIndicator', code, name, theme, domain, integrationFactor, definition, source },
      input,
      ctx,
    );
  }

  @Policy(Policies.central)
  @Mutation(() => IndicatorType, {
    description: 'Retires an indicator: no new baselines, targets or measurements',
  })
  retireIndicator(
    @Args('input') input: RetireIndicatorInput,
    @Context() ctx: GraphQLContext,
  ): Promise<IndicatorType> {
    return this.run({ type: 'RetireIndicator', code: input.code, reason: input.reason }, input, ctx);
  }

  private async run(
    request: IndicatorRequest,
    input: CommandInput,
    ctx: GraphQLContext,
  ): Promise<IndicatorType> {
    const result: HandleResult<IndicatorCatalogue> = await this.commands.execute(
      new IndicatorCatalogueCommand(request, commandEnvelope(ctx, input)),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['outcomes'],
      async () => (await indicatorsByCode(this.db, [request.code]))[0],
      (stream) => indicatorWritten(stream, request.code),
    );
  }
}
