import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar, IsAreaCode } from '@iap/common/graphql';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { CommandInput } from '../../shared/graphql-inputs.js';
import {
  AREA_KINDS,
  type AreaKind,
  PARTNER_SECTORS,
  type PartnerSector,
  REGIONS,
  type Region,
} from '../domain/area.js';

export enum AreaKindEnum {
  PILOT = 'PILOT',
  NON_PILOT = 'NON_PILOT',
}
registerEnumType(AreaKindEnum, {
  name: 'AreaKind',
  description: 'Whether the area is one of the programme pilots',
});

export enum PartnerSectorEnum {
  COUNCIL = 'COUNCIL',
  POLICE = 'POLICE',
  SCHOOLS = 'SCHOOLS',
  NHS = 'NHS',
  VOLUNTARY = 'VOLUNTARY',
  FAITH = 'FAITH',
  BUSINESS = 'BUSINESS',
  OTHER = 'OTHER',
}
registerEnumType(PartnerSectorEnum, { name: 'PartnerSector' });

@ObjectType('Partner', { description: "A member of an area's local integration partnership" })
export class PartnerType {
  @Field(() => ID) id: string;
  @Field() areaCode: string;
  @Field() name: string;
  @Field(() => PartnerSectorEnum) sector: PartnerSectorEnum;
  @Field(() => DateTimeScalar) registeredAt: Date;
}

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

  @Field(() => DateTimeScalar)
  registeredAt: Date;

  @Field(() => Int, {
    description: "Revision of the area's record: send it as expectedRevision to refuse concurrent changes",
  })
  revision: number;
}

@InputType()
export class RegisterAreaInput extends CommandInput {
  @Field({ description: 'ONS local-authority code, e.g. E06000008' })
  @IsString()
  @IsAreaCode()
  code: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => AreaKindEnum)
  @IsIn(AREA_KINDS, { message: `kind must be one of ${AREA_KINDS.join(', ')}` })
  kind: AreaKind;

  @Field(() => String, { description: 'English region, or Wales, Scotland, Northern Ireland' })
  @IsIn(REGIONS, { message: `region must be one of: ${REGIONS.join(', ')}` })
  region: Region;
}

@InputType()
export class RegisterPartnerInput extends CommandInput {
  @Field()
  @IsString()
  @IsAreaCode()
  areaCode: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => PartnerSectorEnum)
  @IsIn(PARTNER_SECTORS, { message: `sector must be one of ${PARTNER_SECTORS.join(', ')}` })
  sector: PartnerSector;
}
