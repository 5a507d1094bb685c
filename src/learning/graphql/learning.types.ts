import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DateTimeScalar, IsAreaCode, Paginated } from '@iap/common/graphql';
import { CommandInput } from '../../shared/graphql-inputs.js';
import {
  LEARNING_LIMITS,
  LEARNING_TYPES,
  type LearningStatus,
  type LearningType,
} from '../domain/learning.js';

export enum LearningTypeEnum {
  CASE_STUDY = 'CASE_STUDY',
  LESSON_LEARNED = 'LESSON_LEARNED',
  EVALUATION = 'EVALUATION',
  TOOLKIT = 'TOOLKIT',
  GUIDANCE = 'GUIDANCE',
}
registerEnumType(LearningTypeEnum, { name: 'LearningType', description: 'What kind of learning an item is' });

export enum LearningStatusEnum {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  RETRACTED = 'RETRACTED',
}
registerEnumType(LearningStatusEnum, {
  name: 'LearningStatus',
  description:
    'DRAFT → PUBLISHED (visible to every council; revising keeps it published) → RETRACTED (with a reason; a revision brings it back to DRAFT)',
});

@ObjectType('EvidenceLink', { description: 'A link to evidence behind a learning item' })
export class EvidenceLinkType {
  @Field() title: string;
  @Field({ description: 'An http or https URL' }) url: string;
}

@ObjectType('LearningAdoption', { description: 'A council recording that it is adopting a learning item' })
export class LearningAdoptionType {
  @Field(() => ID) itemId: string;
  @Field({ description: 'ONS code of the adopting council' }) adoptingAreaCode: string;
  @Field({ description: 'How the council is adopting it' }) note: string;
  @Field({ description: 'ISO date the adoption was recorded' }) adoptedOn: string;
  @Field(() => DateTimeScalar) adoptedAt: Date;
}

@ObjectType('LearningItem', {
  description: 'A case study, lesson learned, evaluation, toolkit or guidance in the learning library',
})
export class LearningItemType {
  @Field(() => ID) id: string;
  @Field({ description: 'ONS code of the pilot area whose learning it is' }) areaCode: string;
  @Field(() => LearningTypeEnum) type: LearningType;
  @Field() title: string;
  @Field() summary: string;
  @Field({ description: 'Markdown' }) body: string;
  @Field(() => [String], { description: 'Theme codes from the catalogue' }) themes: string[];
  @Field(() => [ID], { description: "Linked actions (of the item's area)" }) actionIds: string[];
  @Field(() => [String], { description: 'Linked indicator codes' }) indicatorCodes: string[];
  @Field(() => [EvidenceLinkType]) evidenceLinks: EvidenceLinkType[];
  @Field(() => LearningStatusEnum) status: LearningStatus;
  @Field(() => String, {
    nullable: true,
    description: 'ISO date of the latest publication; null if never published',
  })
  publishedOn: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) publishedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why a RETRACTED item was retracted' })
  retractedReason: string | null;
  @Field(() => Int, { description: 'How many councils have recorded adopting it' }) adoptionCount: number;
  @Field(() => Int, {
    description: "Revision of the item's stream: send it as expectedRevision to refuse concurrent changes",
  })
  revision: number;
  @Field(() => DateTimeScalar) createdAt: Date;
  @Field(() => DateTimeScalar, {
    description: 'The last change to its content or status (adoptions do not count)',
  })
  updatedAt: Date;
  @Field(() => Float, {
    nullable: true,
    description: 'Relevance to the search text (ts_rank_cd), in a text search only',
  })
  rank?: number | null;

  /** Not a GraphQL field: the adoptions as they stood at `asOf`, when the item was read from its history. */
  adoptionsAsOf?: LearningAdoptionType[];
}

@ObjectType('LearningItemConnection')
export class LearningItemConnection extends Paginated(LearningItemType, 'LearningItem') {}

@ObjectType('LearningAdoptionsByPilot', {
  description: "How many times councils have adopted a pilot's learning",
})
export class LearningAdoptionsByPilotType {
  @Field() areaCode: string;
  @Field(() => Int) adoptions: number;
}

@ObjectType('LearningArea', { description: 'An area with published learning, for filtering the library' })
export class LearningAreaType {
  @Field({ description: 'ONS code of the area' }) code: string;
  @Field() name: string;
  @Field(() => Int, { description: 'How many of its items are published' }) published: number;
}

@InputType({ description: 'Which published items to find (all given conditions apply)' })
export class LearningLibraryFilter {
  @Field({
    nullable: true,
    description: 'Search text (web search syntax: "quoted phrase", or, -not); English stemming',
  })
  @IsOptional()
  @IsString()
  text?: string;

  @Field(() => [String], { nullable: true, description: 'Theme codes: items tagged with any of them' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  themes?: string[];

  @Field(() => [LearningTypeEnum], { nullable: true, description: 'Items of any of these types' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: LearningType[];

  @Field({ nullable: true, description: 'ONS code of the pilot whose learning it is' })
  @IsOptional()
  @IsString()
  areaCode?: string;

  @Field({ nullable: true, description: 'ISO date: published on or after it' })
  @IsOptional()
  @IsString()
  publishedFrom?: string;

  @Field({ nullable: true, description: 'ISO date: published on or before it' })
  @IsOptional()
  @IsString()
  publishedTo?: string;
}

@InputType()
export class EvidenceLinkInput {
  @Field()
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(LEARNING_LIMITS.evidenceTitle, {
    message: `title must be at most ${LEARNING_LIMITS.evidenceTitle} characters`,
  })
  title: string;

  @Field({ description: 'An http or https URL' })
  @IsString()
  @MaxLength(LEARNING_LIMITS.url, { message: `url must be at most ${LEARNING_LIMITS.url} characters` })
  url: string;
}

const ITEM_ID = { message: 'id must be a learning item id (a UUID)' };
const TYPE = { message: `type must be one of ${LEARNING_TYPES.join(', ')}` };
const max = (field: string, n: number) => ({ message: `${field} must be at most ${n} characters` });
/** A text the item needs, refused blank here with the rest of the input (not after it, one at a time, by the domain). */
const BLANK = (field: string) => ({ message: `${field} must not be blank` });

@InputType({ description: 'A new learning item, drafted for a pilot area' })
export class DraftLearningInput extends CommandInput {
  @Field({ description: 'ONS code of the pilot area whose learning it is' })
  @IsString()
  @IsAreaCode()
  areaCode: string;

  @Field(() => LearningTypeEnum)
  @IsIn(LEARNING_TYPES, TYPE)
  type: LearningType;

  @Field()
  @IsString()
  @Matches(/\S/, BLANK('title'))
  @MaxLength(LEARNING_LIMITS.title, max('title', LEARNING_LIMITS.title))
  title: string;

  @Field()
  @IsString()
  @Matches(/\S/, BLANK('summary'))
  @MaxLength(LEARNING_LIMITS.summary, max('summary', LEARNING_LIMITS.summary))
  summary: string;

  @Field({ description: 'Markdown' })
  @IsString()
  @Matches(/\S/, BLANK('body'))
  @MaxLength(LEARNING_LIMITS.body, max('body', LEARNING_LIMITS.body))
  body: string;

  @Field(() => [String], { description: 'Theme codes from the catalogue (at least one)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'themes must name at least one theme' })
  @IsString({ each: true })
  themes: string[];

  @Field(() => [ID], { defaultValue: [], description: "Actions of the item's area it draws on" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.actionIds, {
    message: `actionIds must link at most ${LEARNING_LIMITS.actionIds} actions`,
  })
  @IsUUID('all', { each: true, message: 'actionIds must be action ids (UUIDs)' })
  actionIds: string[];

  @Field(() => [String], { defaultValue: [], description: 'Indicator codes it speaks to' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.indicatorCodes, {
    message: `indicatorCodes must name at most ${LEARNING_LIMITS.indicatorCodes} indicators`,
  })
  @IsString({ each: true })
  indicatorCodes: string[];

  @Field(() => [EvidenceLinkInput], { defaultValue: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.evidenceLinks, {
    message: `evidenceLinks must have at most ${LEARNING_LIMITS.evidenceLinks} links`,
  })
  @ValidateNested({ each: true })
  @Type(() => EvidenceLinkInput)
  evidenceLinks: EvidenceLinkInput[];
}

@InputType({ description: 'Changes to a learning item: only the fields given change' })
export class ReviseLearningInput extends CommandInput {
  @Field(() => ID)
  @IsUUID('all', ITEM_ID)
  id: string;

  @Field(() => LearningTypeEnum, { nullable: true })
  @IsOptional()
  @IsIn(LEARNING_TYPES, TYPE)
  type?: LearningType;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/\S/, BLANK('title'))
  @MaxLength(LEARNING_LIMITS.title, max('title', LEARNING_LIMITS.title))
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/\S/, BLANK('summary'))
  @MaxLength(LEARNING_LIMITS.summary, max('summary', LEARNING_LIMITS.summary))
  summary?: string;

  @Field({ nullable: true, description: 'Markdown' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, BLANK('body'))
  @MaxLength(LEARNING_LIMITS.body, max('body', LEARNING_LIMITS.body))
  body?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  themes?: string[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.actionIds, {
    message: `actionIds must link at most ${LEARNING_LIMITS.actionIds} actions`,
  })
  @IsUUID('all', { each: true, message: 'actionIds must be action ids (UUIDs)' })
  actionIds?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.indicatorCodes, {
    message: `indicatorCodes must name at most ${LEARNING_LIMITS.indicatorCodes} indicators`,
  })
  @IsString({ each: true })
  indicatorCodes?: string[];

  @Field(() => [EvidenceLinkInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LEARNING_LIMITS.evidenceLinks, {
    message: `evidenceLinks must have at most ${LEARNING_LIMITS.evidenceLinks} links`,
  })
  @ValidateNested({ each: true })
  @Type(() => EvidenceLinkInput)
  evidenceLinks?: EvidenceLinkInput[];

  @Field({ nullable: true, description: 'Why it changed' })
  @IsOptional()
  @IsString()
  @MaxLength(LEARNING_LIMITS.reason, max('reason', LEARNING_LIMITS.reason))
  reason?: string;
}

@InputType()
export class PublishLearningInput extends CommandInput {
  @Field(() => ID)
  @IsUUID('all', ITEM_ID)
  id: string;
}

@InputType()
export class RetractLearningInput extends CommandInput {
  @Field(() => ID)
  @IsUUID('all', ITEM_ID)
  id: string;

  @Field({ description: 'Why the item is withdrawn from the library' })
  @IsString()
  @MaxLength(LEARNING_LIMITS.reason, max('reason', LEARNING_LIMITS.reason))
  reason: string;
}

@InputType()
export class AdoptLearningInput extends CommandInput {
  @Field(() => ID)
  @IsUUID('all', ITEM_ID)
  id: string;

  @Field({ description: 'ONS code of the council adopting the item' })
  @IsString()
  @IsAreaCode()
  adoptingAreaCode: string;

  @Field({ description: 'A short note: how the council is adopting it' })
  @IsString()
  @MaxLength(LEARNING_LIMITS.note, max('note', LEARNING_LIMITS.note))
  note: string;
}
