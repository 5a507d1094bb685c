import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PenceScalar, DateTimeScalar } from '@iap/common';
import { AreaIndicatorType, PeriodicReturnType } from '../outcomes/public-api.js';

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
  @Field(() => Float, {
    nullable: true,
    description: 'Spent as a fraction of allocated (null when nothing is allocated)',
  })
  spendRate: number | null;
  @Field(() => PenceScalar) matchCashPence: number;
  @Field(() => PenceScalar) matchInKindPence: number;
  @Field(() => [StatusCountType], { description: 'Actions by status, over all themes' })
  actionsByStatus: StatusCountType[];
  @Field(() => [ThemeStatusCountType], {
    description: 'Actions by theme and status (the chosen themes, or all)',
  })
  actionsByTheme: ThemeStatusCountType[];
  @Field(() => [AreaIndicatorType], {
    description: 'The chosen indicators: baseline, latest with its period, targets, progress',
  })
  indicators: AreaIndicatorType[];
  @Field(() => [PeriodicReturnType], { description: 'Return status for each quarter of the year' })
  returns: PeriodicReturnType[];
  @Field(() => Int, { description: 'Learning items the pilot has published' }) learningPublished: number;
  @Field(() => Int, { description: "Other councils' adoptions of the pilot's learning" })
  learningAdoptions: number;
}

@ObjectType('ProgrammeSummary', { description: 'Totals across the pilots for a financial year' })
export class ProgrammeSummaryType {
  @Field() year: string;
  @Field(() => Int) pilots: number;
  @Field(() => PenceScalar) allocatedPence: number;
  @Field(() => PenceScalar) committedPence: number;
  @Field(() => PenceScalar) spentPence: number;
  @Field(() => Float, { nullable: true }) spendRate: number | null;
  @Field(() => PenceScalar) matchCashPence: number;
  @Field(() => PenceScalar) matchInKindPence: number;
  @Field(() => [StatusCountType]) actionsByStatus: StatusCountType[];
  @Field(() => [StatusCountType], { description: "The pilots' quarterly returns for the year, by status" })
  returnsByStatus: StatusCountType[];
  @Field(() => Int) learningPublished: number;
  @Field(() => Int) learningAdoptions: number;
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
