import { Policies, Policy, inputField } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { EventStore } from '@iap/event-store';
import { DataSource } from 'typeorm';
import type { HandleResult } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { returnWritten } from './outcomes.written.js';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext } from '../../shared/graphql-context.js';
import { PeriodicReturnCommand, type ReturnRequest } from '../commands/return.command.js';
import type { ReturnsState } from '../domain/periodic-return.js';
import {
  ApproveReturnInput,
  PeriodicReturnType,
  ReturnSnapshotType,
  SendBackReturnInput,
  SubmitReturnInput,
} from './outcomes.types.js';
import { periodicReturn } from './outcomes.read.js';
import { returnPreview } from './outcomes.written.js';

@Resolver(() => PeriodicReturnType)
export class PeriodicReturnResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @ResolveField(() => ReturnSnapshotType, {
    nullable: true,
    description:
      'What the return would report if it were submitted now (the figures a submission takes: "check your answers"); null once it is submitted or approved, whose figures are in `snapshot`',
  })
  async preview(@Parent() r: PeriodicReturnType): Promise<ReturnSnapshotType | null> {
    if (r.locked) return null;
    return returnPreview(this.store, this.dataSource, r.areaCode, r.quarter);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'returns'))
  @Mutation(() => PeriodicReturnType, {
    description:
      "Submits a pilot's return for a quarter, with a snapshot of its spend, actions and measurements; locks the quarter",
  })
  submitReturn(
    @Args('input') input: SubmitReturnInput,
    @Context() ctx: GraphQLContext,
  ): Promise<PeriodicReturnType> {
    return this.run(
      { type: 'SubmitReturn', areaCode: input.areaCode, quarter: input.quarter, note: input.note ?? '' },
      input,
      ctx,
    );
  }

  @Policy(Policies.central)
  @Mutation(() => PeriodicReturnType, {
    description: 'Approves a submitted return (central team); the quarter stays locked',
  })
  approveReturn(
    @Args('input') input: ApproveReturnInput,
    @Context() ctx: GraphQLContext,
  ): Promise<PeriodicReturnType> {
    return this.run(
      {
        type: 'ApproveReturn',
        areaCode: input.areaCode,
        quarter: input.quarter,
        comments: input.comments ?? '',
      },
      input,
      ctx,
    );
  }

  @Policy(Policies.central)
  @Mutation(() => PeriodicReturnType, {
    description:
      'Sends a submitted return back with comments (central team), unlocking the quarter for changes',
  })
  sendBackReturn(
    @Args('input') input: SendBackReturnInput,
    @Context() ctx: GraphQLContext,
  ): Promise<PeriodicReturnType> {
    return this.run(
      { type: 'SendBackReturn', areaCode: input.areaCode, quarter: input.quarter, comments: input.comments },
      input,
      ctx,
    );
  }

  private async run(
    request: ReturnRequest,
    input: CommandInput,
    ctx: GraphQLContext,
  ): Promise<PeriodicReturnType> {
    const result: HandleResult<ReturnsState> = await this.commands.execute(
      new PeriodicReturnCommand(request, commandEnvelope(ctx, input)),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['returns'],
      () => periodicReturn(this.db, request.areaCode, request.quarter),
      (stream) => returnWritten(stream, request.areaCode, request.quarter),
    );
  }
}
