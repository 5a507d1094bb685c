import type { FastifyInstance } from 'fastify';
import type { PageGraphQL } from './graphql.js';
import type { WebSettings } from './web.js';
import type { WebAvailability } from './errors.js';
import { homeRoutes } from './home/home.routes.js';
import { signInRoutes } from './sign-in/sign-in.routes.js';
import { areaRoutes } from './area/area.routes.js';
import { oidcRoutes } from './sign-in/oidc.routes.js';
import { centralRoutes } from './central/central.routes.js';
import { learningRoutes } from './learning/learning.routes.js';
import { outcomesRoutes } from './outcomes/outcomes.routes.js';
import { exportRoutes } from './exports/exports.routes.js';
import { openDataRoutes } from './open-data/open-data.routes.js';
import { spreadsheetRoutes } from './spreadsheets/spreadsheet.routes.js';
import { comparatorsRoutes } from './comparators/comparators.routes.js';

export interface WebRouteDeps {
  readonly graphql: PageGraphQL;
  readonly settings: WebSettings;
  /** The server's circuit on its database (unset: pages are not told, and tell nobody). */
  readonly availability?: WebAvailability;
}

export type WebRoutes = (web: FastifyInstance, deps: WebRouteDeps) => Promise<void>;

/** Every journey's routes, one module each. */
export const WEB_ROUTES: readonly WebRoutes[] = [
  homeRoutes,
  signInRoutes,
  oidcRoutes,
  centralRoutes,
  areaRoutes,
  learningRoutes,
  outcomesRoutes,
  exportRoutes,
  openDataRoutes,
  spreadsheetRoutes,
  comparatorsRoutes,
];
