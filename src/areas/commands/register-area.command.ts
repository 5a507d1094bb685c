import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ConflictError } from '@iap/common';
import { EventStore, type EventMetadata, type RecordedEvent, handleCommand } from '@iap/event-store';
import { AreaKindEnum } from '../graphql/area.type.js';
import { AREA_KINDS, type AreaKind, ONS_LOCAL_AUTHORITY_CODE, REGIONS, type Region, areaDecider, areaStream } from '../domain/area.js';

@InputType()
export class RegisterAreaInput {
  @Field({ description: 'ONS local-authority code, e.g. E06000008' })
  @IsString()
  @Matches(ONS_LOCAL_AUTHORITY_CODE, { message: 'code must be an ONS local-authority code such as E06000008' })
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

export class RegisterAreaCommand {
  constructor(
    readonly input: RegisterAreaInput,
    readonly metadata: Omit<EventMetadata, 'schemaVersion'>,
  ) {}
}

@CommandHandler(RegisterAreaCommand)
export class RegisterAreaHandler implements ICommandHandler<RegisterAreaCommand, RecordedEvent> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ input, metadata }: RegisterAreaCommand): Promise<RecordedEvent> {
    const result = await handleCommand(
      this.store,
      areaStream(input.code),
      areaDecider,
      { type: 'RegisterArea', ...input },
      { metadata, onConflict: () => new ConflictError(`Area ${input.code} is already registered`, { field: 'code' }) },
    );
    return result.events[0];
  }
}
