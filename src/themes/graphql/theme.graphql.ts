import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { CommandBus } from '@nestjs/cqrs';
import {
  Args,
  Context,
  Field,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from '@nestjs/graphql';
import { NotFoundError } from '@iap/common';
import type { HandleResult, RecordedEvent } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CommandInput, envelopeOf } from '../../shared/graphql-inputs.js';
import { type GraphQLContext, commandMetadata } from '../../shared/graphql-context.js';
import { ThemeCatalogueCommand } from '../commands/theme.commands.js';
import { type ThemeRow, themeRowAfter } from '../projections/themes.projection.js';
import {
  THEME_CODE,
  THEME_KINDS,
  type ThemeCatalogue,
  type ThemeCommand,
  type ThemeEvent,
  type ThemeKind,
} from '../domain/theme.js';

export enum ThemeKindEnum {
  STRATEGY_THEME = 'STRATEGY_THEME',
  INTEGRATION_FACTOR = 'INTEGRATION_FACTOR',
}
registerEnumType(ThemeKindEnum, {
  name: 'ThemeKind',
  description: 'A chapter of the Integrated Communities Strategy, or one of the 2012 integration factors',
});

@ObjectType('Theme')
export class ThemeType {
  @Field() code: string;
  @Field() name: string;
  @Field(() => ThemeKindEnum) kind: ThemeKindEnum;
  @Field() description: string;
  @Field() retired: boolean;
  @Field(() => Int, { description: 'How many times the theme has been defined or changed' }) version: number;
}

@InputType()
export class DefineThemeInput extends CommandInput {
  @Field()
  @IsString()
  @Matches(THEME_CODE, { message: 'code must be 2-40 capitals, digits or underscores' })
  code: string;
  @Field() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Field(() => ThemeKindEnum) @IsIn(THEME_KINDS) kind: ThemeKind;
  @Field({ defaultValue: '' }) @IsOptional() @IsString() @MaxLength(2000) description: string;
}

@InputType()
export class ReviseThemeInput extends CommandInput {
  @Field() @IsString() code: string;
  @Field() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Field({ defaultValue: '' }) @IsOptional() @IsString() @MaxLength(2000) description: string;
}

@InputType()
export class RetireThemeInput extends CommandInput {
  @Field() @IsString() code: string;
  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the theme is retired' })
  @MaxLength(2000)
  reason: string;
}

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
    return this.db.query(
      `SELECT code, name, kind, description, retired, version FROM themes
        WHERE $1 OR NOT retired ORDER BY kind DESC, name`,
      [includeRetired],
    );
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
      new ThemeCatalogueCommand(command, {
        metadata: commandMetadata(ctx, input.commandId),
        ...envelopeOf(input),
      }),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['themes'],
      async () => {
        const [row] = await this.db.query<ThemeType[]>(
          'SELECT code, name, kind, description, retired, version FROM themes WHERE code = $1',
          [command.code],
        );
        return row;
      },
      (stream) => themeWritten(stream, command.code),
    );
  }
}

/** A theme as the catalogue's events wrote it (the projection's fold): answered while the read model catches up. */
export function themeWritten(stream: readonly RecordedEvent[], code: string): ThemeType {
  let row: ThemeRow | undefined;
  for (const e of stream as unknown as readonly (RecordedEvent & ThemeEvent)[])
    if (e.data.code === code) row = themeRowAfter(row, e);
  if (!row) throw new NotFoundError(`No theme ${code}`);
  return Object.assign(new ThemeType(), row);
}
