import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, Paginated } from '@iap/common/graphql';

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
