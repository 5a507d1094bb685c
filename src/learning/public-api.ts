/** What other contexts (and the server's wiring) may use from the learning context. */
export { LEARNING_PROJECTION } from './projections/learning.projection.js';
export {
  LEARNING_EVENT_TYPES,
  type LearningEvent,
  type LearningEventType,
  learningStream,
} from './domain/learning.js';

/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export { learningCountsByAreaInYear, learningIdsOfAreas } from './graphql/learning.read.js';
export { LearningItemCommand, type LearningRequest } from './commands/learning.command.js';
