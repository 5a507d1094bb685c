import { Policies, Policy, inputField } from '@iap/auth';
import { randomUUID } from 'node:crypto';
import { ReadDb, pageSizeOfRequest } from '../../shared/read-db.js';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { BadUserInputError, UUID, toConnection } from '@iap/common';
import { EventStore, type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { actionRowOf } from '../projections/actions.projection.js';
import { type GraphQLContext, loaderFor } from '../../shared/graphql-context.js';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import {
  ActionLifecycleCommand,
  type ActionRequest,
  type ActionStepRequest,
} from '../commands/action.command.js';
import { loadActionSummary } from '../public-api.js';
import type { ActionState, ActionStatus, MilestoneDraft } from '../domain/action.js';
import { ALL_THEMES } from '../projections/actions.projection.js';
import { actionById, actionKey, actionTotals, actionsPage, checkFilter, keysetAfter } from './action.read.js';
import {
  ActionConnection,
  ActionFilter,
  ActionType,
  CancelActionInput,
  CompleteActionInput,
  PauseActionInput,
  PlanActionInput,
  ReachMilestoneInput,
  ResumeActionInput,
  ReviseActionInput,
  StartActionInput,
} from './action.types.js';

export function requireActionId(id: string, field: string): string {
  if (!UUID.test(id)) throw BadUserInputError.field(field, 'must be an action id (a UUID)');
  return id.toLowerCase();
}

/** New milestones with their ids: derived from the commandId when there is one (the same again, the same ids). */
function milestoneDrafts(
  commandId: string | undefined,
  milestones: readonly { title: string; dueDate: string }[],
): MilestoneDraft[] {
  return milestones.map((m, i) => ({
    milestoneId: commandId ? idFromCommand(commandId, `milestone:${i}`) : randomUUID(),
    title: m.title,
    dueDate: m.dueDate,
  }));
}

/** Access to an existing action: CENTRAL, or a PILOT of the area that owns it (read from its stream). */
const OWN_ACTION = Policies.ownAreaOf(async (args, deps) => {
  const id = inputField('actionId')(args);
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  const action = await loadActionSummary(deps.get(EventStore), id.toLowerCase());
  return action.exists ? action.areaCode : null;
}, 'actions');

@Resolver(() => ActionType)
export class ActionResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => ActionType, { nullable: true, description: 'One action by its id' })
  async action(@Args('id', { type: () => ID }) id: string): Promise<ActionType | null> {
    return actionById(this.db, requireActionId(id, 'id'));
  }

  @Policy(Policies.pilotReaders)
  @Query(() => ActionConnection, { description: 'Actions, by planned start then id, a page at a time' })
  async actions(
    @Args('filter', { type: () => ActionFilter, nullable: true }) filter: ActionFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ActionConnection> {
    const key = checkFilter(filter);
    const limit = pageSizeOfRequest(first);
    const cursor = keysetAfter(after);
    const rows = await actionsPage(this.db, key, cursor, limit + 1);
    return { ...toConnection(rows, limit, actionKey, (r) => r), countKey: key };
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'actions'))
  @Mutation(() => ActionType, { description: "Adds an action to a pilot's action plan (status PLANNED)" })
  async planAction(
    @Args('input') input: PlanActionInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    const actionId = input.commandId ? idFromCommand(input.commandId, 'action') : randomUUID();
    return this.run(
      {
        type: 'PlanAction',
        actionId,
        areaCode: input.areaCode,
        title: input.title,
        description: input.description ?? '',
        themes: input.themes,
        leadPartnerId: input.leadPartnerId,
        partnerIds: input.partnerIds ?? [],
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        milestones: milestoneDrafts(input.commandId, input.milestones ?? []),
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: "Changes an action's plan, saying why (not once it is completed or cancelled)",
  })
  reviseAction(@Args('input') input: ReviseActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.run(
      {
        type: 'ReviseAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        reason: input.reason,
        title: input.title ?? undefined,
        description: input.description ?? undefined,
        themes: input.themes ?? undefined,
        leadPartnerId: input.leadPartnerId ?? undefined,
        partnerIds: input.partnerIds ?? undefined,
        plannedStart: input.plannedStart ?? undefined,
        plannedEnd: input.plannedEnd ?? undefined,
        addMilestones: input.addMilestones
          ? milestoneDrafts(input.commandId, input.addMilestones)
          : undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Starts a PLANNED action, on or after its planned start' })
  startAction(@Args('input') input: StartActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.step({ type: 'StartAction' }, input, ctx);
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: 'Records that a milestone of an IN_PROGRESS action was reached',
  })
  reachMilestone(
    @Args('input') input: ReachMilestoneInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    return this.step(
      { type: 'ReachMilestone', milestoneId: input.milestoneId, note: input.note ?? '' },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: 'Completes an IN_PROGRESS action with a summary of what it achieved',
  })
  completeAction(
    @Args('input') input: CompleteActionInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    return this.step({ type: 'CompleteAction', summary: input.summary }, input, ctx);
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Pauses an IN_PROGRESS action, saying why' })
  pauseAction(@Args('input') input: PauseActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.step({ type: 'PauseAction', reason: input.reason }, input, ctx);
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Resumes a PAUSED action' })
  resumeAction(@Args('input') input: ResumeActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.step({ type: 'ResumeAction' }, input, ctx);
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Cancels an action that is not yet completed, saying why' })
  cancelAction(@Args('input') input: CancelActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.step({ type: 'CancelAction', reason: input.reason }, input, ctx);
  }

  /** A step of an action's lifecycle: the action named by `actionId`, dated `on` (today if not given). */
  private step(
    request: ActionStepRequest,
    input: CommandInput & { actionId: string; on?: string | null },
    ctx: GraphQLContext,
  ): Promise<ActionType> {
    const actionId = requireActionId(input.actionId, 'actionId');
    return this.run({ ...request, actionId, on: input.on ?? undefined } as ActionRequest, input, ctx);
  }

  private async run(request: ActionRequest, input: CommandInput, ctx: GraphQLContext): Promise<ActionType> {
    const result: HandleResult<ActionState> = await this.commands.execute(
      new ActionLifecycleCommand(request, commandEnvelope(ctx, input)),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['actions'],
      () => actionById(this.db, request.actionId),
      (stream) => actionRowOf(stream),
    );
  }
}

/** totalCount of any action list, read from the counts table (only when a client asks for it). */
@Resolver(() => ActionConnection)
export class ActionConnectionResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => Int, { nullable: true, description: 'Actions matching the filter, across all pages' })
  totalCount(@Parent() connection: ActionConnection, @Context() ctx: GraphQLContext): Promise<number> {
    const { areaCode, status, theme } = connection.countKey;
    return loaderFor<string, number>(ctx, 'actionTotals', async (keys) => {
      const parsed = keys.map((k) => JSON.parse(k) as [string | null, ActionStatus | null, string]);
      return actionTotals(
        this.db,
        parsed.map(([areaCode, status, theme]) => ({ areaCode, status, theme })),
      );
    }).load(JSON.stringify([areaCode, status, theme ?? ALL_THEMES]));
  }
}
