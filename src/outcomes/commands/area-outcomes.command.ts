import type { CommandEnvelope } from '../../shared/commands.js';
import type { OutcomeRequest } from '../domain/area-outcomes.js';

/** Any command on one area's outcomes (baselines, targets, measurements, corrections). */
export class AreaOutcomesCommand {
  constructor(
    readonly request: OutcomeRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
