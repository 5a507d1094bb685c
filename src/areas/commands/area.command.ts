import type { CommandEnvelope } from '../../shared/commands.js';
import type { AreaCommand } from '../domain/area.js';

/** Any command on one area's stream (registration, partners). */
export class AreaRegistryCommand {
  constructor(
    readonly command: AreaCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}
