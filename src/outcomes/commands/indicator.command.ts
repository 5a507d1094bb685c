import type { CommandEnvelope } from '../../shared/commands.js';
import type { IndicatorCommand } from '../domain/indicator.js';

/** A catalogue command as asked for; the handler adds the theme catalogue. */
export type IndicatorRequest = IndicatorCommand extends infer C
  ? C extends IndicatorCommand
    ? Omit<C, 'themes'>
    : never
  : never;

/** Any command on the indicator catalogue (one handler per aggregate; the request says which). */
export class IndicatorCatalogueCommand {
  constructor(
    readonly request: IndicatorRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
