/** What other contexts may use from the areas context. */
export { loadArea } from './commands/area.commands.js';
export { areaDecider, areaStream, type AreaState, type Partner, type PartnerSector } from './domain/area.js';
export { AreaType } from './graphql/area.types.js';
/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export { type AreaNameRow, areaByCode, areaNames, allAreas, pilotAreas } from './graphql/area.read.js';
export { AreaRegistryCommand } from './commands/area.command.js';
export type { AreaCommand, Region } from './domain/area.js';
