import { Policies, Policy } from '@iap/auth';
import type { HandleResult } from '@iap/event-store';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type GraphQLContext } from '../../shared/graphql-context.js';
import { CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { ReadDb } from '../../shared/read-db.js';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { ThemeCatalogueCommand } from '../commands/theme.commands.js';
import type { ThemeCatalogue, ThemeCommand } from '../domain/theme.js';
import { listThemes, themeByCode } from './theme.read.js';
import { DefineThemeInput, ReviseThemeInput, RetireThemeInput, ThemeType } from './theme.types.js';
import { themeWritten } from './theme.written.js';

@Resolver(() => ThemeType)
export class ThemeResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.anyone)
  @Query(() => [ThemeType], { description: 'The theme catalogue: strategy themes, then integration factors' })
  async themes(
    @Args('includeRetired', { defaultValue: false }) includeRetired: boolean,
  ): Promise<ThemeType[]> {
    return listThemes(this.db, includeRetired);
  }

  @Policy(Policies.central)
  @Mutation(() => ThemeType)
  defineTheme(@Args('input') input: DefineThemeInput, @Context() ctx: GraphQLContext): Promise<ThemeType> {
    const { code, name, kind, description } = input;
    return this.run({ type: 'DefineTheme', code, name, kind, description }, input, ctx);
  }

  @Policy(Policies.central)
  @Mutation(() => ThemeType)
  reviseTheme(@Args('input') input: ReviseThemeInput, @Context() ctx: GraphQLContext): Promise<ThemeType> {
    return this.run(
      { type: 'ReviseTheme', code: input.code, name: input.name, description: input.description },
      input,
      ctx,
    );
  }

  @Policy(Policies.central)
  @Mutation(() => ThemeType)
  retireTheme(@Args('input') input: RetireThemeInput, @Context() ctx: GraphQLContext): Promise<ThemeType> {
    return this.run({ type: 'RetireTheme', code: input.code, reason: input.reason }, input, ctx);
  }

  private async run(command: ThemeCommand, input: CommandInput, ctx: GraphQLContext): Promise<ThemeType> {
    const result: HandleResult<ThemeCatalogue> = await this.commands.execute(
      new ThemeCatalogueCommand(command, commandEnvelope(ctx, input)),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['themes'],
      () => themeByCode(this.db, command.code),
      (stream) => themeWritten(stream, command.code),
    );
  }
}
