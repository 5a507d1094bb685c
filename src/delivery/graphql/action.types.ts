import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DateTimeScalar, IsAreaCode, Paginated } from '@iap/common/graphql';
import { CommandInput } from '../../shared/graphql-inputs.js';
import { ISO_DATE } from '../../shared/periods.js';
import type { ActionStatus } from '../domain/action.js';

export enum ActionStatusEnum {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  PAUSED = 'PAUSED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ActionStatusEnum, {
  name: 'ActionStatus',
  description:
    'PLANNED → IN_PROGRESS ⇄ PAUSED; IN_PROGRESS → COMPLETED; PLANNED, IN_PROGRESS or PAUSED → CANCELLED. COMPLETED and CANCELLED are final.',
});

@ObjectType('Milestone', { description: "A checkpoint in an action's plan" })
export class MilestoneType {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field({ description: 'ISO date' }) dueDate: string;
  @Field(() => String, { nullable: true, description: 'ISO date it was reached; null while it is not' })
  reachedOn: string | null;
  @Field(() => String, { nullable: true, description: 'What was said when it was reached' }) note:
    string | null;
}

@ObjectType('Action', {
  description: "An action (intervention, project) in a pilot's integration action plan",
})
export class ActionType {
  @Field(() => ID) id: string;
  @Field() areaCode: string;
  @Field() title: string;
  @Field() description: string;
  @Field(() => ActionStatusEnum) status: ActionStatus;
  @Field(() => [String], { description: 'Theme codes from the catalogue' }) themes: string[];
  @Field(() => ID) leadPartnerId: string;
  @Field(() => [ID], { description: 'The other partners taking part (not the lead)' }) partnerIds: string[];
  @Field({ description: 'ISO date' }) plannedStart: string;
  @Field({ description: 'ISO date' }) plannedEnd: string;
  @Field(() => String, { nullable: true }) startedOn: string | null;
  @Field(() => String, { nullable: true }) completedOn: string | null;
  @Field(() => String, { nullable: true, description: 'What a completed action achieved' }) summary:
    string | null;
  @Field(() => String, { nullable: true, description: 'Since when a PAUSED action has been paused' })
  pausedOn: string | null;
  @Field(() => String, { nullable: true, description: 'Why a PAUSED action is paused' }) pausedReason:
    string | null;
  @Field(() => String, { nullable: true }) cancelledOn: string | null;
  @Field(() => String, { nullable: true }) cancelledReason: string | null;
  @Field(() => [MilestoneType]) milestones: MilestoneType[];
  @Field(() => Int, {
    description: "Revision of the action's stream: send it as expectedRevision to refuse concurrent changes",
  })
  revision: number;
  @Field(() => DateTimeScalar) createdAt: Date;
  @Field(() => DateTimeScalar) updatedAt: Date;
}

/** Which rows a connection holds, so its totalCount can be read from the counts table when asked for. */
export interface ActionCountKey {
  readonly areaCode: string | null;
  readonly status: ActionStatus | null;
  readonly theme: string | null;
}

@ObjectType('ActionConnection')
export class ActionConnection extends Paginated(ActionType, 'Action') {
  /** Not a GraphQL field: what totalCount counts. */
  countKey: ActionCountKey;
}

@ObjectType('ActionCount', {
  description: "How many of an area's actions are in a status and tagged with a theme",
})
export class ActionCountType {
  @Field(() => ActionStatusEnum) status: ActionStatus;
  @Field() theme: string;
  @Field(() => Int) count: number;
}

@InputType({ description: "An area's actions to list (all given conditions apply)" })
export class AreaActionFilter {
  @Field(() => String, {
    nullable: true,
    description: 'PLANNED, IN_PROGRESS, PAUSED, COMPLETED or CANCELLED',
  })
  @IsOptional()
  @IsString()
  status?: string;

  @Field({ nullable: true, description: 'A theme code: actions tagged with it' })
  @IsOptional()
  @IsString()
  theme?: string;
}

@InputType({ description: 'Actions to list (all given conditions apply)' })
export class ActionFilter extends AreaActionFilter {
  @Field({ nullable: true, description: 'ONS code of the area' })
  @IsOptional()
  @IsString()
  areaCode?: string;
}

const DATE = (field: string) => ({ message: `${field} must be an ISO 8601 date (YYYY-MM-DD)` });
const ACTION_ID = { message: 'actionId must be a UUID' };

@InputType()
export class PlannedMilestoneInput {
  @Field() @IsString() @MaxLength(200, { message: 'title must be at most 200 characters' }) title: string;
  @Field({ description: 'ISO date, within the planned period' })
  @IsString()
  @Matches(ISO_DATE, DATE('dueDate'))
  dueDate: string;
}

@InputType()
export class PlanActionInput extends CommandInput {
  @Field({ description: 'ONS code of the pilot area' })
  @IsString()
  @IsAreaCode()
  areaCode: string;

  @Field()
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title: string;

  @Field({ defaultValue: '' })
  @IsOptional()
  @IsString()
  @MaxLength(5000, { message: 'description must be at most 5000 characters' })
  description: string;

  @Field(() => [String], { description: 'At least one theme code from the catalogue' })
  @IsArray({ message: 'themes must be a list of theme codes' })
  @ArrayMinSize(1, { message: 'themes must name at least one theme' })
  @ArrayMaxSize(20, { message: 'themes must name at most 20 themes' })
  @IsString({ each: true })
  themes: string[];

  @Field(() => ID, { description: "The partner leading the action: one of the area's registered partners" })
  @IsString()
  @Matches(/\S/, { message: "leadPartnerId must name one of the area's registered partners" })
  leadPartnerId: string;

  @Field(() => [ID], { defaultValue: [], description: 'Other registered partners of the area taking part' })
  @IsOptional()
  @IsArray({ message: 'partnerIds must be a list of partner ids' })
  @ArrayMaxSize(50, { message: 'partnerIds must name at most 50 partners' })
  @IsString({ each: true })
  partnerIds: string[];

  @Field({ description: 'ISO date' })
  @IsString()
  @Matches(ISO_DATE, DATE('plannedStart'))
  plannedStart: string;
  @Field({ description: 'ISO date, not before plannedStart' })
  @IsString()
  @Matches(ISO_DATE, DATE('plannedEnd'))
  plannedEnd: string;

  @Field(() => [PlannedMilestoneInput], { defaultValue: [] })
  @IsOptional()
  @IsArray({ message: 'milestones must be a list' })
  @ArrayMaxSize(100, { message: 'milestones must be at most 100' })
  @ValidateNested({ each: true })
  @Type(() => PlannedMilestoneInput)
  milestones: PlannedMilestoneInput[];
}

@InputType({ description: 'Give only what changes; themes and partnerIds replace the current lists' })
export class ReviseActionInput extends CommandInput {
  @Field(() => ID) @IsUUID('all', ACTION_ID) actionId: string;

  @Field()
  @IsString()
  @MaxLength(2000, { message: 'reason must be at most 2000 characters' })
  reason: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000, { message: 'description must be at most 5000 characters' })
  description?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray({ message: 'themes must be a list of theme codes' })
  @ArrayMaxSize(20, { message: 'themes must name at most 20 themes' })
  @IsString({ each: true })
  themes?: string[];

  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() leadPartnerId?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray({ message: 'partnerIds must be a list of partner ids' })
  @ArrayMaxSize(50, { message: 'partnerIds must name at most 50 partners' })
  @IsString({ each: true })
  partnerIds?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, DATE('plannedStart'))
  plannedStart?: string;
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, DATE('plannedEnd'))
  plannedEnd?: string;

  @Field(() => [PlannedMilestoneInput], { nullable: true, description: 'Milestones to add to the plan' })
  @IsOptional()
  @IsArray({ message: 'addMilestones must be a list' })
  @ArrayMaxSize(100, { message: 'addMilestones must be at most 100' })
  @ValidateNested({ each: true })
  @Type(() => PlannedMilestoneInput)
  addMilestones?: PlannedMilestoneInput[];
}

/** A status change: which action, and on what date (today when left out; never in the future). */
@InputType({ isAbstract: true })
export abstract class ActionStatusChangeInput extends CommandInput {
  @Field(() => ID) @IsUUID('all', ACTION_ID) actionId: string;

  @Field({ nullable: true, description: 'ISO date of the change; defaults to today' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, DATE('on'))
  on?: string;
}

@InputType()
export class StartActionInput extends ActionStatusChangeInput {}

@InputType()
export class ReachMilestoneInput extends ActionStatusChangeInput {
  @Field(() => ID) @IsString() milestoneId: string;

  @Field({ defaultValue: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'note must be at most 2000 characters' })
  note: string;
}

@InputType()
export class CompleteActionInput extends ActionStatusChangeInput {
  @Field({ description: 'What the action achieved' })
  @IsString()
  @MaxLength(5000, { message: 'summary must be at most 5000 characters' })
  summary: string;
}

@InputType()
export class PauseActionInput extends ActionStatusChangeInput {
  @Field() @IsString() @MaxLength(2000, { message: 'reason must be at most 2000 characters' }) reason: string;
}

@InputType()
export class ResumeActionInput extends ActionStatusChangeInput {}

@InputType()
export class CancelActionInput extends ActionStatusChangeInput {
  @Field() @IsString() @MaxLength(2000, { message: 'reason must be at most 2000 characters' }) reason: string;
}
