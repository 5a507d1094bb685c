import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PenceScalar, DateTimeScalar } from '@iap/common/graphql';
import { SPEND_RATE_DESCRIPTION } from '../../funding/public-api.js';
import { AreaIndicatorType, PeriodicReturnType } from '../../outcomes/public-api.js';

/** What "an action in a year" means, for the descriptions of every year-scoped action count. */
const ACTIONS_IN_YEAR =
  'An action is in a financial year when it is active at some time in it: it began (started; while not started, its planned start; or its cancellation, if cancelled before that) on or before 31 March ending the year, and it was not completed or cancelled before 1 April starting it. Each counts under its status now (with asOf, then).';

@ObjectType('StatusCount')
export class StatusCountType {
  @Field() status: string;
  @Field(() => Int) count: number;
}

@ObjectType('ThemeStatusCount')
export class ThemeStatusCountType {
  @Field() theme: string;
  @Field() status: string;
  @Field(() => Int) count: number;
}

@ObjectType('PilotComparison', {
  description: "One pilot's figures for a financial year, side by side with the others",
})
export class PilotComparisonType {
  @Field() areaCode: string;
  @Field() areaName: string;
  @Field() year: string;
  @Field(() => PenceScalar) allocatedPence: number;
  @Field(() => PenceScalar) committedPence: number;
  @Field(() => PenceScalar) spentPence: number;
  @Field(() => PenceScalar) overspendApprovedPence: number;
  @Field(() => Float, { nullable: true, description: SPEND_RATE_DESCRIPTION })
  spendRate: number | null;
  @Field(() => PenceScalar) matchCashPence: number;
  @Field(() => PenceScalar) matchInKindPence: number;
  @Field(() => [StatusCountType], {
    description: `The actions in the year by status, over all themes. ${ACTIONS_IN_YEAR}`,
  })
  actionsByStatus: StatusCountType[];
  @Field(() => [ThemeStatusCountType], {
    description: `The actions in the year by theme and status (the chosen themes, or all). ${ACTIONS_IN_YEAR}`,
  })
  actionsByTheme: ThemeStatusCountType[];
  @Field(() => [AreaIndicatorType], {
    description:
      "The chosen indicators in the year: baseline and targets as set, and of the area's measurements only those whose period ends in the year: latest and previous of them, how many, their total (counts and money), trend and progress from them; latest is null when none does",
  })
  indicators: AreaIndicatorType[];
  @Field(() => [PeriodicReturnType], { description: 'Return status for each quarter of the year' })
  returns: PeriodicReturnType[];
  @Field(() => Int, {
    description:
      "The pilot's learning items published in the year (published on a day in it, and not retracted)",
  })
  learningPublished: number;
  @Field(() => Int, { description: "Other councils' adoptions of the pilot's learning made in the year" })
  learningAdoptions: number;
}

@ObjectType('ProgrammeSummary', { description: 'Totals across the pilots for a financial year' })
export class ProgrammeSummaryType {
  @Field() year: string;
  @Field(() => Int) pilots: number;
  @Field(() => PenceScalar) allocatedPence: number;
  @Field(() => PenceScalar) committedPence: number;
  @Field(() => PenceScalar) spentPence: number;
  @Field(() => Float, { nullable: true, description: SPEND_RATE_DESCRIPTION }) spendRate: number | null;
  @Field(() => PenceScalar) matchCashPence: number;
  @Field(() => PenceScalar) matchInKindPence: number;
  @Field(() => [StatusCountType], {
    description: `The pilots' actions in the year by status. ${ACTIONS_IN_YEAR}`,
  })
  actionsByStatus: StatusCountType[];
  @Field(() => [StatusCountType], { description: "The pilots' quarterly returns for the year, by status" })
  returnsByStatus: StatusCountType[];
  @Field(() => Int, { description: "The pilots' learning items published in the year (and not retracted)" })
  learningPublished: number;
  @Field(() => Int, { description: "Adoptions of the pilots' learning made in the year" })
  learningAdoptions: number;
}

@ObjectType('IndicatorSeriesPoint', {
  description: 'One measurement, for charting an indicator across areas',
})
export class IndicatorSeriesPointType {
  @Field() areaCode: string;
  @Field() areaName: string;
  @Field() periodLabel: string;
  @Field() periodStart: string;
  @Field() periodEnd: string;
  @Field(() => Float) value: number;
  @Field(() => Int) corrections: number;
  @Field(() => DateTimeScalar) recordedAt: Date;
}

export enum FigureEnum {
  ALLOCATED = 'ALLOCATED',
  COMMITTED = 'COMMITTED',
  SPENT = 'SPENT',
  MATCH_FUNDING = 'MATCH_FUNDING',
  OVERSPEND_APPROVED = 'OVERSPEND_APPROVED',
  ACTIONS = 'ACTIONS',
  INDICATOR = 'INDICATOR',
  RETURNS = 'RETURNS',
  LEARNING = 'LEARNING',
}
registerEnumType(FigureEnum, {
  name: 'Figure',
  description: 'A figure of the comparison whose sources can be listed',
});

@ObjectType('GrantAward', {
  description:
    'A grant allocation as the programme publishes it: one per area, financial year and funding stream',
})
export class GrantAwardType {
  @Field({ description: 'ONS code of the area (the recipient council)' }) areaCode: string;
  @Field() areaName: string;
  @Field({ description: 'Financial year, e.g. 2019-20' }) year: string;
  @Field() fundingStream: string;
  @Field(() => PenceScalar, { description: 'The allocation now, after reprofiling and clawback' })
  amountPence: number;
  @Field(() => DateTimeScalar, { description: 'When the allocation was first made' }) awardedAt: Date;
}
