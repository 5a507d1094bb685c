import { Policies, Policy, inputField } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { AsOfService } from '../../comparison/public-api.js';
import { DateTimeScalar } from '@iap/common/graphql';
import { type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { randomUUID } from 'node:crypto';
import { commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import { AreaRegistryCommand } from '../commands/area.command.js';
import { requireAreaCode } from '@iap/common';
import type { AreaCommand, AreaState } from '../domain/area.js';
import { AreaType, PartnerType, RegisterAreaInput, RegisterPartnerInput } from './area.types.js';
import { allAreas, areaByCode, partnerById, partnersOfAreas } from './area.read.js';
import { areaWritten, partnerWritten } from './area.written.js';

@Resolver(() => AreaType)
export class AreaResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(AsOfService) private readonly asOf: AsOfService,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => [AreaType], { description: 'Every registered area, pilots first, then by name' })
  areas(): Promise<AreaType[]> {
    return allAreas(this.db);
  }

  @Policy(Policies.pilotReaders)
  @Query(() => AreaType, {
    nullable: true,
    description:
      'One area by its ONS code. With asOf, everything under it is answered from the events recorded up to that instant (and asOf must then be the only field of the request).',
  })
  async area(
    @Args('code') code: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<AreaType | null> {
    requireAreaCode(code);
    if (asOf) await this.asOf.enter(asOf, info!);
    return areaByCode(this.db, code);
  }

  @ResolveField(() => [PartnerType], { description: "The area's partnership" })
  partners(@Parent() area: AreaType, @Context() ctx: GraphQLContext): Promise<PartnerType[]> {
    return loaderFor<string, PartnerType[]>(ctx, 'partnersByArea', async (codes) =>
      groupBy(codes, await partnersOfAreas(this.db, codes), (p) => p.areaCode),
    ).load(area.code);
  }

  @Policy(Policies.central)
  @Mutation(() => AreaType, { description: 'Registers a council with the programme (central team)' })
  async registerArea(
    @Args('input') input: RegisterAreaInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AreaType> {
    const { code, name, kind, region } = input;
    const result = await this.run({ type: 'RegisterArea', code, name, kind, region }, input, ctx);
    return this.readYourWrites.answer(ctx, result, ['areas'], () => areaByCode(this.db, code), areaWritten);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'partners'))
  @Mutation(() => PartnerType, { description: "Adds a partner to an area's partnership" })
  async registerPartner(
    @Args('input') input: RegisterPartnerInput,
    @Context() ctx: GraphQLContext,
  ): Promise<PartnerType> {
    const partnerId = input.commandId ? idFromCommand(input.commandId, 'partner') : randomUUID();
    const result = await this.run(
      {
        type: 'RegisterPartner',
        areaCode: input.areaCode,
        partnerId,
        name: input.name,
        sector: input.sector,
      },
      input,
      ctx,
    );
    const id = (result.events[0]?.data as { partnerId?: string } | undefined)?.partnerId ?? partnerId;
    return this.readYourWrites.answer(
      ctx,
      result,
      ['areas'],
      () => partnerById(this.db, id),
      (stream) => partnerWritten(stream, id),
    );
  }

  private run(
    command: AreaCommand,
    input: RegisterAreaInput | RegisterPartnerInput,
    ctx: GraphQLContext,
  ): Promise<HandleResult<AreaState>> {
    return this.commands.execute(new AreaRegistryCommand(command, commandEnvelope(ctx, input)));
  }
}
