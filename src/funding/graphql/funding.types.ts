import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar, IsAreaCode, PenceScalar } from '@iap/common/graphql';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { FINANCIAL_QUARTER, FINANCIAL_YEAR } from '../../shared/periods.js';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { MATCH_KINDS, MAX_STREAM_NAME, MAX_TEXT, type MatchKind } from '../domain/funding.js';
import { SPEND_RATE_DESCRIPTION } from '../domain/money.js';

export enum MatchFundingKindEnum {
  CASH = 'CASH',
  IN_KIND = 'IN_KIND',
}
registerEnumType(MatchFundingKindEnum, {
  name: 'MatchFundingKind',
  description:
    "Whether a partner's match funding is money or a contribution in kind (staff time, venues, equipment)",
});

// ------------------------------------------------------------------------------------------------- outputs

@ObjectType('FundingStreamAllocation', {
  description: "An area's allocation from one funding stream in one year",
})
export class FundingStreamAllocationType {
  @Field() fundingStream: string;
  @Field(() => PenceScalar) allocatedPence: number;
}

@ObjectType('Commitment', { description: 'Funds an area has committed to one of its actions in a year' })
export class CommitmentType {
  @Field(() => ID) actionId: string;
  @Field(() => PenceScalar) committedPence: number;
  @Field(() => PenceScalar, { description: "Spend reported against the action in the year's quarters" })
  spentPence: number;
}

@ObjectType('QuarterSpend', { description: "One action's spend in one quarter, as currently reported" })
export class QuarterSpendType {
  @Field(() => ID) actionId: string;
  @Field({ description: 'Financial quarter, e.g. 2019-20 Q3' }) quarter: string;
  @Field(() => PenceScalar, { description: 'The current figure, after any corrections' }) amountPence: number;
  @Field(() => PenceScalar, { description: 'The figure first reported' }) originalPence: number;
  @Field(() => Int, { description: 'How many times the figure has been corrected' }) corrections: number;
  @Field() note: string;
  @Field(() => DateTimeScalar) reportedAt: Date;
  @Field(() => DateTimeScalar, { nullable: true }) correctedAt: Date | null;
}

@ObjectType('MatchFunding', { description: "A partner's contribution alongside the programme grant" })
export class MatchFundingType {
  @Field(() => ID) matchId: string;
  @Field(() => ID) partnerId: string;
  @Field(() => ID, { nullable: true, description: 'The action it supports, if any' }) actionId: string | null;
  @Field() year: string;
  @Field(() => MatchFundingKindEnum) kind: MatchFundingKindEnum;
  @Field(() => PenceScalar) amountPence: number;
  @Field() description: string;
  @Field(() => DateTimeScalar) recordedAt: Date;
}

@ObjectType('FundingYear', { description: "An area's programme funding in one financial year" })
export class FundingYearType {
  @Field() areaCode: string;
  @Field({ description: 'Financial year, e.g. 2019-20' }) year: string;
  @Field(() => PenceScalar, { description: 'Grant allocated, after reprofiling and clawback' })
  allocatedPence: number;
  @Field(() => PenceScalar) committedPence: number;
  @Field(() => PenceScalar) spentPence: number;
  @Field(() => PenceScalar) matchCashPence: number;
  @Field(() => PenceScalar) matchInKindPence: number;
  @Field(() => PenceScalar, { description: 'Headroom the central team approved beyond the allocation' })
  overspendApprovedPence: number;
  @Field(() => PenceScalar, { description: 'allocated − spent (negative when overspent)' })
  remainingPence: number;
  @Field(() => PenceScalar, {
    description: 'allocated + approved overspend − committed: what may still be committed',
  })
  uncommittedPence: number;
  @Field(() => Float, { nullable: true, description: SPEND_RATE_DESCRIPTION })
  spendRate: number | null;
  @Field(() => Int, {
    description:
      "Revision of the area's funding record: send it as expectedRevision to refuse concurrent changes",
  })
  revision: number;
  /** The nested lists, when the year was folded from its events rather than read (see fundingYearWritten). */
  written?: {
    byStream: FundingStreamAllocationType[];
    commitments: CommitmentType[];
    spend: QuarterSpendType[];
    match: MatchFundingType[];
  };
}

// -------------------------------------------------------------------------------------------------- inputs

const yearMessage = (field: string) => ({ message: `${field} must be a financial year such as 2019-20` });
const positive = (field: string) => ({ message: `${field} must be more than 0 pence` });
const whole = (field: string) => ({ message: `${field} must be a whole number of pence` });

@InputType()
export class AllocateGrantInput extends CommandInput {
  @Field({ description: 'ONS code of the pilot area' })
  @IsString()
  @IsAreaCode()
  areaCode: string;

  @Field({ description: 'Financial year, e.g. 2019-20' })
  @IsString()
  @Matches(FINANCIAL_YEAR, yearMessage('year'))
  year: string;

  @Field({
    description: 'e.g. Integration Area Programme, Integrated Communities English Language Programme',
  })
  @IsString()
  @MinLength(1, { message: 'fundingStream must name the funding stream' })
  @MaxLength(MAX_STREAM_NAME, { message: `fundingStream must be at most ${MAX_STREAM_NAME} characters` })
  fundingStream: string;

  @Field(() => PenceScalar)
  @IsInt(whole('amountPence'))
  @Min(1, positive('amountPence'))
  amountPence: number;

  @Field({ defaultValue: '' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT, { message: `note must be at most ${MAX_TEXT} characters` })
  note: string;

  @Field({
    nullable: true,
    description: 'ISO date the grant was awarded (not in the future); defaults to today in England',
  })
  @IsOptional()
  @IsString()
  awardedOn?: string;
}

@InputType()
export class ReprofileAllocationInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;
  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('fromYear')) fromYear: string;
  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('toYear')) toYear: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'fundingStream must name the funding stream' })
  @MaxLength(MAX_STREAM_NAME, { message: `fundingStream must be at most ${MAX_STREAM_NAME} characters` })
  fundingStream: string;

  @Field(() => PenceScalar) @IsInt(whole('amountPence')) @Min(1, positive('amountPence')) amountPence: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the allocation is reprofiled' })
  @MaxLength(MAX_TEXT, { message: `reason must be at most ${MAX_TEXT} characters` })
  reason: string;
}

@InputType()
export class ReduceAllocationInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;
  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('year')) year: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'fundingStream must name the funding stream' })
  @MaxLength(MAX_STREAM_NAME, { message: `fundingStream must be at most ${MAX_STREAM_NAME} characters` })
  fundingStream: string;

  @Field(() => PenceScalar) @IsInt(whole('amountPence')) @Min(1, positive('amountPence')) amountPence: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the allocation is reduced' })
  @MaxLength(MAX_TEXT, { message: `reason must be at most ${MAX_TEXT} characters` })
  reason: string;
}

@InputType()
export class ApproveOverspendInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;
  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('year')) year: string;

  @Field(() => PenceScalar, { description: 'Extra headroom for commitments beyond the allocation' })
  @IsInt(whole('amountPence'))
  @Min(1, positive('amountPence'))
  amountPence: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the overspend is approved' })
  @MaxLength(MAX_TEXT, { message: `reason must be at most ${MAX_TEXT} characters` })
  reason: string;
}

@InputType()
export class CommitFundsInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field(() => ID)
  @IsString()
  @IsUUID('all', { message: 'actionId must be an action id (a UUID)' })
  actionId: string;

  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('year')) year: string;
  @Field(() => PenceScalar) @IsInt(whole('amountPence')) @Min(1, positive('amountPence')) amountPence: number;

  @Field({
    defaultValue: '',
    description: 'Optional: a note kept with the commitment (its history shows it)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT, { message: `note must be at most ${MAX_TEXT} characters` })
  note: string;
}

@InputType()
export class ReportSpendInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field(() => ID)
  @IsString()
  @IsUUID('all', { message: 'actionId must be an action id (a UUID)' })
  actionId: string;

  @Field({ description: 'Financial quarter, e.g. 2019-20 Q3' })
  @IsString()
  @Matches(FINANCIAL_QUARTER, { message: 'quarter must be a financial quarter such as 2019-20 Q3' })
  quarter: string;

  @Field(() => PenceScalar) @IsInt(whole('amountPence')) @Min(1, positive('amountPence')) amountPence: number;

  @Field({ defaultValue: '' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT, { message: `note must be at most ${MAX_TEXT} characters` })
  note: string;
}

@InputType()
export class CorrectSpendInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field(() => ID)
  @IsString()
  @IsUUID('all', { message: 'actionId must be an action id (a UUID)' })
  actionId: string;

  @Field()
  @IsString()
  @Matches(FINANCIAL_QUARTER, { message: 'quarter must be a financial quarter such as 2019-20 Q3' })
  quarter: string;

  @Field(() => PenceScalar, { description: 'The corrected figure for the quarter (0 withdraws the spend)' })
  @IsInt(whole('amountPence'))
  @Min(0, { message: 'amountPence must not be negative' })
  amountPence: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'reason must say why the spend is corrected' })
  @MaxLength(MAX_TEXT, { message: `reason must be at most ${MAX_TEXT} characters` })
  reason: string;
}

@InputType()
export class RecordMatchFundingInput extends CommandInput {
  @Field() @IsString() @IsAreaCode() areaCode: string;

  @Field(() => ID, { description: "A partner in the area's partnership" })
  @IsString()
  @IsUUID('all', { message: 'partnerId must be a partner id (a UUID)' })
  partnerId: string;

  @Field(() => ID, { nullable: true, description: 'The action the match funding supports, if any' })
  @IsOptional()
  @IsString()
  @IsUUID('all', { message: 'actionId must be an action id (a UUID)' })
  actionId?: string | null;

  @Field() @IsString() @Matches(FINANCIAL_YEAR, yearMessage('year')) year: string;

  @Field(() => MatchFundingKindEnum)
  @IsIn(MATCH_KINDS, { message: `kind must be one of ${MATCH_KINDS.join(', ')}` })
  kind: MatchKind;

  @Field(() => PenceScalar, { description: 'The money, or the value of the contribution in kind' })
  @IsInt(whole('amountPence'))
  @Min(1, positive('amountPence'))
  amountPence: number;

  @Field()
  @IsString()
  @MinLength(1, { message: 'description must say what the partner is contributing' })
  @MaxLength(MAX_TEXT, { message: `description must be at most ${MAX_TEXT} characters` })
  description: string;
}
