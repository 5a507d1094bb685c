import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { CHOICE_METHODS, type ChoiceMethod, MAX_COMPARATORS } from '../domain/comparator-choice.js';

export enum ChoiceMethodEnum {
  NEAREST_NEIGHBOURS = 'NEAREST_NEIGHBOURS',
  BY_HAND = 'BY_HAND',
}
registerEnumType(ChoiceMethodEnum, {
  name: 'ComparatorChoiceMethod',
  description:
    "How a pilot's comparators were chosen: its nearest neighbours on chosen characteristics (CIPFA's method), or by hand",
});

@ObjectType('PublicIndicator', {
  description: 'An indicator with public values for councils (imported from CSV)',
})
export class PublicIndicatorType {
  @Field() code: string;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => Int, { description: 'Councils with at least one value' }) councils: number;
  @Field(() => [String], { description: 'Periods with values, earliest first' }) periods: string[];
  @Field({ description: 'Whether any of its values comes from a source marked illustrative' })
  illustrative: boolean;
}

@ObjectType('PublicCouncil')
export class PublicCouncilType {
  @Field() code: string;
  @Field() name: string;
}

@ObjectType('PublicDataImport', { description: 'A file of public indicator values, imported once' })
export class PublicDataImportType {
  @Field() digest: string;
  @Field() fileName: string;
  @Field(() => Int) rowsInFile: number;
  @Field(() => Int, { description: 'Rows recorded by this import: 0 when the same file was imported before' })
  rowsRecorded: number;
  @Field({ description: 'True when this file had been imported before (nothing was written)' })
  alreadyImported: boolean;
}

@ObjectType('PublicDataFile', { description: 'A file of public values as recorded' })
export class PublicDataFileType {
  @Field() digest: string;
  @Field() fileName: string;
  @Field(() => Int) rowCount: number;
  @Field(() => DateTimeScalar) importedAt: Date;
  @Field(() => String, { nullable: true }) importedBy: string | null;
}

@ObjectType('Comparator')
export class ComparatorType {
  @Field() areaCode: string;
  @Field() areaName: string;
  @Field(() => Float, {
    nullable: true,
    description:
      'Standardised Euclidean distance from the pilot (nearest neighbours only; smaller is more alike)',
  })
  distance: number | null;
}

@ObjectType('ComparatorChoice', { description: "A pilot's comparator councils as last chosen" })
export class ComparatorChoiceType {
  @Field() pilotCode: string;
  @Field(() => ChoiceMethodEnum) method: ChoiceMethod;
  @Field(() => [String], { description: 'Indicator codes the nearest neighbours were found on' })
  characteristics: string[];
  @Field(() => String, { nullable: true, description: 'The period of the characteristics' }) period:
    string | null;
  @Field(() => [ComparatorType]) comparators: ComparatorType[];
  @Field() reason: string;
  @Field(() => Int, { description: 'The revision of the choice: pass it as expectedRevision to change it' })
  revision: number;
  @Field(() => DateTimeScalar) chosenAt: Date;
  @Field(() => String, { nullable: true }) chosenBy: string | null;
}

@ObjectType('ComparatorFigures', {
  description: "A comparator council's values in the baseline and latest periods",
})
export class ComparatorFiguresType extends ComparatorType {
  @Field(() => Float, { nullable: true }) baseline: number | null;
  @Field(() => Float, { nullable: true }) latest: number | null;
  @Field(() => Float, { nullable: true }) change: number | null;
  @Field({ description: 'Whether it has both values, and so counts in the estimate' }) included: boolean;
}

@ObjectType('ComparisonSeriesPoint')
export class SeriesPointType {
  @Field() period: string;
  @Field() periodEnd: string;
  @Field(() => Float, { nullable: true }) pilot: number | null;
  @Field(() => Float, { nullable: true, description: "The comparators' mean in this period" })
  comparatorMean: number | null;
  @Field(() => Int, { description: 'Comparators with a value in this period' }) comparators: number;
}

@ObjectType('ConfidenceInterval')
export class IntervalType {
  @Field(() => Float) lower: number;
  @Field(() => Float) upper: number;
  @Field(() => Float, { description: 'Its coverage, e.g. 0.95' }) level: number;
}

@ObjectType('PilotVersusComparators', {
  description:
    "A pilot's change in an indicator against its comparators' over the same periods: the difference-in-differences estimate",
})
export class PilotVersusComparatorsType {
  @Field() areaCode: string;
  @Field() areaName: string;
  @Field() indicatorCode: string;
  @Field(() => String, { nullable: true }) indicatorName: string | null;
  @Field(() => ComparatorChoiceType, { nullable: true }) choice: ComparatorChoiceType | null;
  @Field(() => String, { nullable: true }) baselinePeriod: string | null;
  @Field(() => String, { nullable: true }) latestPeriod: string | null;
  @Field(() => Float, { nullable: true }) pilotBaseline: number | null;
  @Field(() => Float, { nullable: true }) pilotLatest: number | null;
  @Field(() => Float, { nullable: true }) pilotChange: number | null;
  @Field(() => Float, { nullable: true }) comparatorMeanChange: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "The pilot's change less the comparators' mean change (in the indicator's own units)",
  })
  estimate: number | null;
  @Field(() => IntervalType, {
    nullable: true,
    description: 'A 95% percentile bootstrap interval over the comparators (2,000 resamples, seeded)',
  })
  interval: IntervalType | null;
  @Field(() => Int, { description: 'Comparators with values in both periods' }) comparatorsUsed: number;
  @Field(() => [ComparatorFiguresType]) comparators: ComparatorFiguresType[];
  @Field(() => [SeriesPointType]) series: SeriesPointType[];
  @Field(() => [String], {
    description: 'What to bear in mind before trusting the estimate, in plain English',
  })
  caveats: string[];
  @Field(() => [String], { description: 'Where the figures used come from' }) sources: string[];
  @Field({ description: 'Whether any figure used comes from a source marked illustrative' })
  illustrative: boolean;
  @Field({ description: 'How the estimate and its interval were worked out' }) method: string;
}

@InputType()
export class ImportPublicValuesInput extends CommandInput {
  @Field() @IsString() @MaxLength(200) fileName: string;
  @Field({
    description:
      'The CSV file itself: ons_code, indicator_code, period, value, source (area_name, indicator_name optional)',
  })
  @IsString()
  csv: string;
}

@InputType()
export class ChooseComparatorsInput extends CommandInput {
  @Field()
  @Matches(ONS_LOCAL_AUTHORITY_CODE, {
    message: 'pilotCode must be an ONS local-authority code such as E06000008',
  })
  pilotCode: string;
  @Field(() => ChoiceMethodEnum) @IsIn(CHOICE_METHODS) method: ChoiceMethod;
  @Field(() => [String], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  characteristics: string[];
  @Field(() => String, { nullable: true, description: 'The period of the characteristics, e.g. 2017-18' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  period?: string | null;
  @Field(() => Int, { nullable: true, description: 'How many nearest neighbours (default 15, as CIPFA)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_COMPARATORS)
  count?: number | null;
  @Field(() => [String], { defaultValue: [], description: 'The councils picked by hand (ONS codes)' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  areaCodes: string[];
  @Field({ defaultValue: '' }) @IsOptional() @IsString() @MaxLength(2000) reason: string;
}
