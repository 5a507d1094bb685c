import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { BadUserInputError } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import { ProjectionRunner } from '@iap/projections';
import { Repository } from 'typeorm';
import { type GraphQLContext, commandMetadata } from '../../shared/graphql-context.js';
import { RegisterAreaCommand, RegisterAreaInput } from '../commands/register-area.command.js';
import { ONS_LOCAL_AUTHORITY_CODE } from '../domain/area.js';
import { AreaRow } from '../projections/area.entity.js';
import { AreaKindEnum, AreaType } from './area.type.js';

function toType(row: AreaRow): AreaType {
  return { ...row, kind: row.kind as AreaKindEnum };
}

@Resolver(() => AreaType)
export class AreaResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
    @InjectRepository(AreaRow) private readonly rows: Repository<AreaRow>,
  ) {}

  @Query(() => [AreaType], { name: 'areas', description: 'Every registered area, pilots first, then by name' })
  async areas(): Promise<AreaType[]> {
    return (await this.rows.find({ order: { kind: 'DESC', name: 'ASC' } })).map(toType);
  }

  @Query(() => AreaType, { nullable: true, description: 'One area by its ONS code' })
  async area(@Args('code') code: string): Promise<AreaType | null> {
    if (!ONS_LOCAL_AUTHORITY_CODE.test(code)) {
      throw BadUserInputError.field('code', 'must be an ONS local-authority code such as E06000008');
    }
    const row = await this.rows.findOneBy({ code });
    return row ? toType(row) : null;
  }

  @Mutation(() => AreaType, { description: 'Registers a council with the programme (central team)' })
  async registerArea(@Args('input') input: RegisterAreaInput, @Context() ctx: GraphQLContext): Promise<AreaType> {
    const event: RecordedEvent = await this.commands.execute(new RegisterAreaCommand(input, commandMetadata(ctx)));
    // Read your own write: answer once the read model holds it (or after a short wait).
    await this.projections.waitFor(event.position, ['areas'], 5000);
    return { ...input, name: input.name.trim(), kind: input.kind as AreaKindEnum, registeredAt: event.recordedAt };
  }
}
