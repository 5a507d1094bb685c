import type { CommandEnvelope } from '../../shared/commands.js';
import type { ActionCommand, PlanAction, ReviseAction } from '../domain/action.js';

/** The facts the handler loads and adds to a request to make the domain command. */
type Facts = 'area' | 'themeCatalogue' | 'today' | 'returns';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A request from a client: a domain command without the facts that come from elsewhere. Status changes may
 * leave `on` out, meaning today.
 */
export type ActionRequest =
  | DistributiveOmit<Extract<ActionCommand, PlanAction | ReviseAction>, Facts>
  | (DistributiveOmit<Exclude<ActionCommand, PlanAction | ReviseAction>, Facts | 'on'> & { on?: string });

/** A step of an action's lifecycle (start, milestone, pause…) without the action and date it applies to. */
export type ActionStepRequest = DistributiveOmit<
  Exclude<ActionCommand, PlanAction | ReviseAction>,
  Facts | 'on' | 'actionId'
>;

/** Any command on one action's stream (the request says which). */
export class ActionLifecycleCommand {
  constructor(
    readonly request: ActionRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
