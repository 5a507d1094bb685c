import { pilotReadersOnly } from '@iap/auth';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar, IsAreaCode, Paginated, PenceScalar } from '@iap/common/graphql';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { FINANCIAL_QUARTER, ISO_DATE } from '../../shared/periods.js';
import { MAX_INT } from '../domain/area-outcomes.js';
import {
  DIRECTIONS,
  type Direction,
  INDICATOR_CODE,
  INTEGRATION_DOMAINS,
  type IntegrationDomain,
  UNITS,
  type Unit,
} from '../domain/indicator.js';

export enum IndicatorUnitEnum {
  COUNT = 'COUNT',
  PERCENTAGE = 'PERCENTAGE',
  RATE_PER_1000 = 'RATE_PER_1000',
  POUNDS = 'POUNDS',
}
registerEnumType(IndicatorUnitEnum, {
  name: 'IndicatorUnit',
  description:
    'COUNT (whole, not negative), PERCENTAGE (0-100), RATE_PER_1000 (not negative), POUNDS (values in whole pence)',
});

export enum IndicatorDirectionEnum {
  HIGHER_IS_BETTER = 'HIGHER_IS_BETTER',
  LOWER_IS_BETTER = 'LOWER_IS_BETTER',
}
registerEnumType(IndicatorDirectionEnum, {
  name: 'IndicatorDirection',
  description: 'Whether a higher value is better',
});

export enum IntegrationDomainEnum {
  WORK = 'WORK',
  HOUSING = 'HOUSING',
  EDUCATION = 'EDUCATION',
  HEALTH_AND_SOCIAL_CARE = 'HEALTH_AND_SOCIAL_CARE',
  LEISURE = 'LEISURE',
  SOCIAL_BONDS = 'SOCIAL_BONDS',
  SOCIAL_BRIDGES = 'SOCIAL_BRIDGES',
  SOCIAL_LINKS = 'SOCIAL_LINKS',
  LANGUAGE_AND_COMMUNICATION = 'LANGUAGE_AND_COMMUNICATION',
  CULTURE = 'CULTURE',
  DIGITAL_SKILLS = 'DIGITAL_SKILLS',
  SAFETY = 'SAFETY',
  STABILITY = 'STABILITY',
  RIGHTS_AND_RESPONSIBILITIES = 'RIGHTS_AND_RESPONSIBILITIES',
}
registerEnumType(IntegrationDomainEnum, {
  name: 'IntegrationDomain',
  description: 'The 14 domains of the Home Office Indicators of Integration framework (2019)',
});

export enum ReturnStatusEnum {
  NOT_SUBMITTED = 'NOT_SUBMITTED',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  SENT_BACK = 'SENT_BACK',
}
registerEnumType(ReturnStatusEnum, {
  name: 'ReturnStatus',
  description: 'SUBMITTED and APPROVED lock the quarter for the area; SENT_BACK unlocks it',
});

export enum TrendMovementEnum {
  UP = 'UP',
  DOWN = 'DOWN',
  FLAT = 'FLAT',
}
registerEnumType(TrendMovementEnum, { name: 'TrendMovement' });

export enum TrendAssessmentEnum {
  IMPROVING = 'IMPROVING',
  WORSENING = 'WORSENING',
  UNCHANGED = 'UNCHANGED',
}
registerEnumType(TrendAssessmentEnum, {
  name: 'TrendAssessment',
  description: 'The movement judged by the direction',
});

@ObjectType('Indicator', { description: 'An outcome indicator in the programme catalogue' })
export class IndicatorType {
  @Field({ description: 'e.g. ESOL_ENROLMENTS' }) code: string;
  @Field() name: string;
  @Field(() => IndicatorUnitEnum) unit: Unit;
  @Field(() => IndicatorDirectionEnum) direction: Direction;
  @Field({ description: 'Strategy theme code from the theme catalogue' }) theme: string;
  @Field(() => IntegrationDomainEnum) domain: IntegrationDomain;
  @Field(() => String, { nullable: true, description: 'One of the 2012 integration factors (a theme code)' })
  integrationFactor: string | null;
  @Field() definition: string;
  @Field({ description: 'Where the figures come from: a survey, administrative data, programme records' })
  source: string;
  @Field() retired: boolean;
  @Field(() => String, { nullable: true }) retiredReason: string | null;
  @Field(() => Int, { description: 'How many times the indicator has been defined or changed' })
  version: number;
  @Field(() => Int, { description: 'Revision of the catalogue: send it as expectedRevision' })
  revision: number;
  @Field(() => DateTimeScalar) definedAt: Date;
  @Field(() => DateTimeScalar) updatedAt: Date;
}

@ObjectType('Baseline')
export class BaselineType {
  @Field(() => Float) value: number;
  @Field({ description: 'ISO date the baseline refers to' }) date: string;
  @Field() source: string;
}

@ObjectType('Target')
export class TargetType {
  @Field({ description: 'ISO date by which the value should be reached' }) date: string;
  @Field(() => Float) value: number;
}

@ObjectType('PeriodValue', { description: 'A measured value and the period it was reported for' })
export class PeriodValueType {
  @Field(() => Float) value: number;
  @Field() periodLabel: string;
  @Field() periodStart: string;
  @Field() periodEnd: string;
}

@ObjectType('Trend', { description: 'The latest measurement against the previous one' })
export class TrendType {
  @Field(() => TrendMovementEnum) movement: TrendMovementEnum;
  @Field(() => TrendAssessmentEnum) assessment: TrendAssessmentEnum;
  @Field(() => Float, { description: 'Latest minus previous' }) change: number;
}

@ObjectType('AreaIndicator', { description: "An area's position on one indicator" })
export class AreaIndicatorType {
  @Field() areaCode: string;
  @Field() indicatorCode: string;
  @Field(() => BaselineType, { nullable: true }) baseline: BaselineType | null;
  @Field(() => [TargetType], { description: 'Sorted by date' }) targets: TargetType[];
  @Field(() => TargetType, {
    nullable: true,
    description: 'The first target due on or after the latest period end (the last one once all are past)',
  })
  nextTarget: TargetType | null;
  @Field(() => PeriodValueType, { nullable: true, description: 'The measurement for the latest period' })
  latest: PeriodValueType | null;
  @Field(() => PeriodValueType, {
    nullable: true,
    description: 'The measurement for the period before the latest',
  })
  previous: PeriodValueType | null;
  @Field(() => TrendType, { nullable: true }) trend: TrendType | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Fraction of the distance from baseline to the next target covered by the latest value (0 at the baseline, 1 at the target)',
  })
  progress: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Sum of the measurements (each reported for its own period) for counts and money; null for percentages and rates',
  })
  cumulative: number | null;
  @Field(() => Int) measurementCount: number;
  @Field(() => DateTimeScalar) updatedAt: Date;
  @Field(() => Int, { description: "Revision of the area's outcomes: send it as expectedRevision" })
  revision: number;
}

@ObjectType('Measurement', {
  description: 'A value reported for one area, indicator and period (not year to date)',
})
export class MeasurementType {
  @Field(() => ID) id: string;
  @Field() areaCode: string;
  @Field() indicatorCode: string;
  @Field() periodLabel: string;
  @Field() periodStart: string;
  @Field() periodEnd: string;
  @Field(() => Float, { description: 'As currently corrected' }) value: number;
  @Field(() => Float, { description: 'As first recorded' }) originalValue: number;
  @Field(() => Int, { nullable: true }) sampleSize: number | null;
  @Field(() => Int, { nullable: true }) denominator: number | null;
  @Field() source: string;
  @Field(() => String, { nullable: true }) evidenceUrl: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Int, { description: 'How many times it has been corrected' }) corrections: number;
  @Field(() => String, { nullable: true, description: 'Why it was last corrected' }) correctionReason:
    string | null;
  @Field(() => DateTimeScalar) recordedAt: Date;
  @Field(() => DateTimeScalar, { nullable: true }) correctedAt: Date | null;
  @Field(() => Int, { description: "Revision of the area's outcomes: send it as expectedRevision" })
  revision: number;
}

@ObjectType('MeasurementConnection')
export class MeasurementConnection extends Paginated(MeasurementType, 'Measurement') {}

@ObjectType('ActionStatusCount')
export class ActionStatusCountType {
  @Field() status: string;
  @Field(() => Int) count: number;
}

@ObjectType('ReturnSnapshot', {
  description: 'What the area reported, as it stood when the return was submitted',
})
export class ReturnSnapshotType {
  @Field(() => PenceScalar, { description: 'Spend reported for the quarter, in pence' }) spend: number;
  @Field(() => Int, { description: 'Measurements whose period ends in the quarter' }) measurements: number;
  @Field(() => [ActionStatusCountType], { description: "The area's actions by status" })
  actionsByStatus: ActionStatusCountType[];
}

@ObjectType('PeriodicReturn', { description: "A pilot's quarterly return" })
export class PeriodicReturnType {
  @Field() areaCode: string;
  @Field({ description: 'e.g. 2019-20 Q3' }) quarter: string;
  @Field() startDate: string;
  @Field() endDate: string;
  @Field(() => ReturnStatusEnum) status: ReturnStatusEnum;
  @Field(() => Boolean, { description: 'Whether changes to the quarter are refused' }) locked: boolean;
  @Field(() => String, {
    nullable: true,
    middleware: [pilotReadersOnly],
    description: "The pilot's note (CENTRAL and PILOT users only)",
  })
  note: string | null;
  @Field(() => ReturnSnapshotType, { nullable: true }) snapshot: ReturnSnapshotType | null;
  @Field(() => Int, { description: 'How many times it has been submitted' }) submissions: number;
  @Field(() => DateTimeScalar, { nullable: true }) submittedAt: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt: Date | null;
  @Field(() => String, {
    nullable: true,
    middleware: [pilotReadersOnly],
    description: "The central team's comments on its latest decision (CENTRAL and PILOT users only)",
  })
  comments: string | null;
  @Field(() => Int, {
    nullable: true,
    description: "Revision of the area's returns (null before its first): send it as expectedRevision",
  })
  revision: number | null;
}

// ---------------------------------------------------------------------------------------------- inputs

const INDICATOR_CODE_MESSAGE = 'must be 2-40 capitals, digits or underscores, such as ESOL_ENROLMENTS';
const dateMessage = (field: string) => `${field} must be an ISO 8601 date (YYYY-MM-DD)`;

@InputType()
export class DefineIndicatorInput extends CommandInput {
  @Field({ description: 'e.g. ESOL_ENROLMENTS' })
  @IsString()
  @Matches(INDICATOR_CODE, { message: `code ${INDICATOR_CODE_MESSAGE}` })
  code: string;

  @Field() @IsString() @MinLength(1, { message: 'name must not be empty' }) @MaxLength(200) name: string;

  @Field(() => IndicatorUnitEnum)
  @IsIn(UNITS, { message: `unit must be one of ${UNITS.join(', ')}` })
  unit: Unit;

  @Field(() => IndicatorDirectionEnum)
  @IsIn(DIRECTIONS, { message: `direction must be one of ${DIRECTIONS.join(', ')}` })
  direction: Direction;

  @Field({ description: 'A strategy theme code, e.g. ENGLISH_LANGUAGE' })
  @IsString()
  @MaxLength(40)
  theme: string;

  @Field(() => IntegrationDomainEnum)
  @IsIn(INTEGRATION_DOMAINS, { message: 'domain must be one of the 14 Indicators of Integration domains' })
  domain: IntegrationDomain;

  @Field(() => String, {
    nullable: true,
    description: 'A 2012 integration factor code, e.g. SOCIAL_MOBILITY',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  integrationFactor?: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'definition must not be empty' })
  @MaxLength(4000)
  definition: string;
  @Field() @IsString() @MinLength(1, { message: 'source must not be empty' }) @MaxLength(500) source: string;
}

@InputType({ description: 'Unit and direction cannot change once defined' })
export class ReviseIndicatorInput extends CommandInput {
  @Field() @IsString() @Matches(INDICATOR_CODE, { message: `code ${INDICATOR_CODE_MESSAGE}` }) code: string;
  @Field() @IsString() @MinLength(1, { message: 'name must not be empty' }) @MaxLength(200) name: string;
  @Field() @IsString() @MaxLength(40) theme: string;

  @Field(() => IntegrationDomainEnum)
  @IsIn(INTEGRATION_DOMAINS, { message: 'domain must be one of the 14 Indicators of Integration domains' })
  domain: IntegrationDomain;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  integrationFactor?: string;
  @Field()
  @IsString()
  @MinLength(1, { message: 'definition must not be empty' })
  @MaxLength(4000)
  definition: string;
  @Field() @IsString() @MinLength(1, { message: 'source must not be empty' }) @MaxLength(500) source: string;
}

@InputType()
export class RetireIndicatorInput extends CommandInput {
  @Field() @IsString() @Matches(INDICATOR_CODE, { message: `code ${INDICATOR_CODE_MESSAGE}` }) code: string;
  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the indicator is retired' })
  @MaxLength(2000)
  reason: string;
}

@InputType({ isAbstract: true })
abstract class AreaIndicatorInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field()
  @IsString()
  @Matches(INDICATOR_CODE, { message: `indicatorCode ${INDICATOR_CODE_MESSAGE}` })
  indicatorCode: string;

  @Field(() => Float, { description: "In the indicator's unit (whole pence for POUNDS)" })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a number' })
  value: number;
}

@InputType()
export class SetBaselineInput extends AreaIndicatorInput {
  @Field({ description: 'ISO date the baseline refers to' })
  @IsString()
  @Matches(ISO_DATE, { message: dateMessage('date') })
  date: string;
  @Field() @IsString() @MinLength(1, { message: 'source must not be empty' }) @MaxLength(500) source: string;
}

@InputType()
export class SetTargetInput extends AreaIndicatorInput {
  @Field({ description: 'ISO date by which the value should be reached (after the baseline date)' })
  @IsString()
  @Matches(ISO_DATE, { message: dateMessage('date') })
  date: string;
}

@InputType()
export class RecordMeasurementInput extends AreaIndicatorInput {
  @Field({ description: 'How the source calls the period, e.g. 2019-20 Q1 or Residents survey 2019' })
  @IsString()
  @MinLength(1, { message: 'periodLabel must not be empty' })
  @MaxLength(100)
  periodLabel: string;

  @Field() @IsString() @Matches(ISO_DATE, { message: dateMessage('periodStart') }) periodStart: string;
  @Field() @IsString() @Matches(ISO_DATE, { message: dateMessage('periodEnd') }) periodEnd: string;

  @Field(() => Int, { nullable: true, description: 'Survey respondents, where relevant' })
  @IsOptional()
  @IsInt({ message: 'sampleSize must be a whole number' })
  @Min(1, { message: 'sampleSize must be at least 1' })
  @Max(MAX_INT)
  sampleSize?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The population a percentage or rate is of, where relevant',
  })
  @IsOptional()
  @IsInt({ message: 'denominator must be a whole number' })
  @Min(1, { message: 'denominator must be at least 1' })
  @Max(MAX_INT)
  denominator?: number;

  @Field() @IsString() @MinLength(1, { message: 'source must not be empty' }) @MaxLength(500) source: string;
  @Field(() => String, { nullable: true, description: 'An http(s) link to the evidence' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  evidenceUrl?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000) note?: string;
}

@InputType()
export class CorrectMeasurementInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;
  @Field(() => ID)
  @IsUUID('all', { message: 'measurementId must be a measurement id' })
  measurementId: string;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a number' })
  value: number;

  @Field(() => Int, { nullable: true, description: 'Omitted: unchanged' })
  @IsOptional()
  @IsInt({ message: 'sampleSize must be a whole number' })
  @Min(1, { message: 'sampleSize must be at least 1' })
  @Max(MAX_INT)
  sampleSize?: number;

  @Field(() => Int, { nullable: true, description: 'Omitted: unchanged' })
  @IsOptional()
  @IsInt({ message: 'denominator must be a whole number' })
  @Min(1, { message: 'denominator must be at least 1' })
  @Max(MAX_INT)
  denominator?: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the value is corrected' })
  @MaxLength(2000)
  reason: string;
}

@InputType({ isAbstract: true })
abstract class ReturnInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field({ description: 'e.g. 2019-20 Q3' })
  @IsString()
  @Matches(FINANCIAL_QUARTER, { message: 'quarter must be a financial quarter such as 2019-20 Q3' })
  quarter: string;
}

@InputType()
export class SubmitReturnInput extends ReturnInput {
  @Field({ defaultValue: '' }) @IsOptional() @IsString() @MaxLength(4000) note: string;
}

@InputType()
export class ApproveReturnInput extends ReturnInput {
  @Field({ defaultValue: '' }) @IsOptional() @IsString() @MaxLength(4000) comments: string;
}

@InputType()
export class SendBackReturnInput extends ReturnInput {
  @Field()
  @IsString()
  @MinLength(1, { message: 'comments must say what needs changing' })
  @MaxLength(4000)
  comments: string;
}

/** Checked by `checkMeasurementFilter` (outcomes.read.ts), which names problems `filter.<field>` like the other list filters. */
@InputType({ description: 'Measurements to list (all given conditions apply)' })
export class MeasurementFilter {
  @Field(() => String, { nullable: true, description: 'ONS code of one area' }) areaCode?: string | null;
  @Field(() => String, { nullable: true }) indicatorCode?: string | null;
  @Field(() => String, { nullable: true, description: "The indicator's strategy theme" }) theme?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Periods ending on or after this ISO date' })
  periodFrom?: string | null;
  @Field(() => String, { nullable: true, description: 'Periods ending on or before this ISO date' })
  periodTo?: string | null;
}
