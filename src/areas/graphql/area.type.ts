import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AreaKindEnum {
  PILOT = 'PILOT',
  NON_PILOT = 'NON_PILOT',
}
registerEnumType(AreaKindEnum, { name: 'AreaKind', description: 'Whether the area is one of the programme pilots' });

@ObjectType('Area', { description: 'A council taking part in, or learning from, the programme' })
export class AreaType {
  @Field({ description: 'ONS local-authority code, e.g. E06000008' })
  code: string;

  @Field()
  name: string;

  @Field(() => AreaKindEnum)
  kind: AreaKindEnum;

  @Field()
  region: string;

  @Field(() => GraphQLISODateTime)
  registeredAt: Date;
}
