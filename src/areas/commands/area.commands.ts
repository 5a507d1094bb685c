import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult, fold, loadStream } from '@iap/event-store';
import { decideAndAppend } from '../../shared/commands.js';
import { type AreaState, areaDecider, areaStream } from '../domain/area.js';
import { AreaRegistryCommand } from './area.command.js';

@CommandHandler(AreaRegistryCommand)
export class AreaCommandHandler implements ICommandHandler<AreaRegistryCommand, HandleResult<AreaState>> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute({ command, envelope }: AreaRegistryCommand): Promise<HandleResult<AreaState>> {
    const code = command.type === 'RegisterArea' ? command.code : command.areaCode;
    return decideAndAppend(this.store, areaStream(code), areaDecider, command, envelope);
  }
}

/** An area's current state from its stream (strongly consistent: for validating other contexts' commands). */
export async function loadArea(store: EventStore, code: string): Promise<AreaState> {
  return fold(areaDecider, await loadStream(store, areaStream(code)));
}
