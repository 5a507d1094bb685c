/** What other contexts may use from the areas context. */
export { loadArea } from './commands/area.commands.js';
export { areaDecider, areaStream, type AreaState, type Partner, type PartnerSector } from './domain/area.js';
export { AreaType } from './graphql/area.type.js';
export { AreaCommandMessage } from './commands/area.command.js';
export type { AreaCommand, Region } from './domain/area.js';
