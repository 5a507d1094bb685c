import type { FastifyInstance } from 'fastify';
import { DEMO_PEOPLE } from '../../../../src/demo/public-api.js';
import { safeReturnTo } from '../errors.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { signIn, signOut } from '../session.js';

/** Where each kind of person lands after signing in. */
export function homeOf(user: { role: string; area?: string }): string {
  if (user.role === 'CENTRAL') return '/programme';
  if (user.role === 'PILOT' && user.area) return `/areas/${user.area}`;
  return '/learning';
}

/**
 * Sign-in and sign-out. With an identity provider configured, "Sign in" goes to it (see oidc.routes.ts); outside
 * production without one, a page offers the demo programme's people.
 */
export async function signInRoutes(web: FastifyInstance, { graphql, settings }: WebRouteDeps): Promise<void> {
  web.get(
    '/sign-in',
    pageHandler(graphql, async (page) => {
      const returnTo = safeReturnTo(page.search.returnTo);
      if (settings.oidc) return page.redirect(`/sign-in/oidc?returnTo=${encodeURIComponent(returnTo)}`);
      if (!settings.demoSignIn) return page.render('sign-in/unavailable', {}, 503);
      return page.render('sign-in/demo', { people: DEMO_PEOPLE, returnTo });
    }),
  );

  web.post(
    '/sign-in/demo',
    pageHandler(graphql, async (page) => {
      if (!settings.demoSignIn) return page.render('sign-in/unavailable', {}, 503);
      const person = DEMO_PEOPLE.find((p) => p.subject === page.body.person);
      const returnTo = safeReturnTo(page.body.returnTo);
      if (!person) {
        return page.render(
          'sign-in/demo',
          {
            people: DEMO_PEOPLE,
            returnTo,
            errors: [{ text: 'Select who you want to sign in as', href: '#person' }],
          },
          400,
        );
      }
      signIn(page.request, {
        subject: person.subject,
        name: person.name,
        role: person.role,
        ...(person.area ? { area: person.area } : {}),
        ...(person.areaName ? { areaName: person.areaName } : {}),
        via: 'demo',
      });
      return page.redirect(returnTo === '/' ? homeOf(person) : returnTo);
    }),
  );

  web.post(
    '/sign-out',
    pageHandler(graphql, async (page) => {
      signOut(page.request);
      return page.redirect('/signed-out');
    }),
  );

  web.get(
    '/signed-out',
    pageHandler(graphql, async (page) => page.render('sign-in/signed-out')),
  );
}
