import type { FastifyInstance } from 'fastify';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';

/** The start page: what the programme is, and where each kind of person starts. */
export async function homeRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  web.get(
    '/',
    pageHandler(graphql, async (page) => {
      return page.render('home/start');
    }),
  );
}
