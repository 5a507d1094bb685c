import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, JsonScalar, Paginated } from '@iap/common/graphql';

@ObjectType('Activity', { description: 'One thing someone did, from the event log' })
export class ActivityType {
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field() streamId: string;
  @Field(() => String, { nullable: true }) areaCode: string | null;
  @Field(() => String, { nullable: true }) actorSubject: string | null;
  @Field(() => String, { nullable: true }) actorName: string | null;
  @Field(() => String, { nullable: true }) actorRole: string | null;
  @Field(() => String, { nullable: true }) correlationId: string | null;
  @Field() summary: string;
  @Field(() => DateTimeScalar) recordedAt: Date;
}

@ObjectType('ActivityConnection')
export class ActivityConnection extends Paginated(ActivityType, 'Activity') {}

@ObjectType('HistoryEntry', {
  description: 'One event of an aggregate: who did what, when, and what changed',
})
export class HistoryEntryType {
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field() streamId: string;
  @Field(() => Int) revision: number;
  @Field(() => DateTimeScalar) recordedAt: Date;
  @Field(() => String, { nullable: true }) actorSubject: string | null;
  @Field(() => String, { nullable: true }) actorName: string | null;
  @Field(() => String, { nullable: true }) actorRole: string | null;
  @Field(() => String, { nullable: true }) correlationId: string | null;
  @Field(() => String, { nullable: true }) commandId: string | null;
  @Field() summary: string;
  @Field(() => JsonScalar, { description: 'The event data as recorded: what changed' }) data: unknown;
}
