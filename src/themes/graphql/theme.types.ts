import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { THEME_CODE, THEME_KINDS, type ThemeKind } from '../domain/theme.js';

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
