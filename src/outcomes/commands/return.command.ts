import type { CommandEnvelope } from '../../shared/commands.js';
import type { ReturnCommand } from '../domain/periodic-return.js';

/** A return command as asked for: on submission the handler adds the snapshot, today's date and the area. */
export type ReturnRequest =
  | { type: 'SubmitReturn'; areaCode: string; quarter: string; note: string }
  | Exclude<ReturnCommand, { type: 'SubmitReturn' }>;

export class PeriodicReturnCommand {
  constructor(
    readonly request: ReturnRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
