import type { FastifyInstance } from 'fastify';
import type { WebRouteDeps } from '../routes.js';
import { activityRoutes } from './activity.routes.js';
import { allocationRoutes } from './allocation.routes.js';
import { areasRoutes } from './areas.routes.js';
import { programmeRoutes } from './programme.routes.js';
import { returnsRoutes } from './returns.routes.js';

/**
 * The central integration team's pages: the programme overview and the sources of its figures, the returns
 * queue and returns due, the areas and their grant allocations (and changing them), the activity feed and each record's history.
 */
export async function centralRoutes(web: FastifyInstance, deps: WebRouteDeps): Promise<void> {
  await programmeRoutes(web, deps);
  await returnsRoutes(web, deps);
  await areasRoutes(web, deps);
  await activityRoutes(web, deps);
  await allocationRoutes(web, deps);
}
