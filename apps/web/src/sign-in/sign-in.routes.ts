import type { FastifyInstance } from 'fastify';
import { DEMO_PEOPLE } from '../../../../src/demo/public-api.js';
import { safeReturnTo } from '../errors.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { signIn, signOut } from '../session.js';
import { oidcClientFor } from './oidc-client.js';

/** What the account page asks of the API: who it takes the signed-in person to be. */
export const ACCOUNT_QUERY = 'query Account { viewer { signedIn name role area } }';

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
      const user = page.user;
      signOut(page.request);
      // Signed in through the identity provider: end its session too, when it offers that (RP-initiated logout).
      if (user?.via === 'oidc' && settings.oidc) {
        const endSession = await oidcClientFor(settings.oidc).endSessionUrl(user.idToken);
        // A page that moves on by itself, not a redirect: browsers hold a form's redirects to the page's CSP
        // form-action ('self'), so a 303 to the provider from this POST would be blocked.
        if (endSession) return page.render('sign-in/signing-out', { endSessionUrl: endSession.href });
      }
      return page.redirect('/signed-out');
    }),
  );

  // Who the service (and so the API) takes the signed-in person to be: asked of the API's own `viewer`.
  web.get(
    '/account',
    pageHandler(graphql, async (page) => {
      const user = page.requireSignedIn();
      const { viewer } = await page.query<{
        viewer: { signedIn: boolean; name: string | null; role: string | null; area: string | null };
      }>(ACCOUNT_QUERY);
      return page.render('sign-in/account', { viewer, via: user.via, home: homeOf(user) });
    }),
  );

  web.get(
    '/signed-out',
    pageHandler(graphql, async (page) => page.render('sign-in/signed-out')),
  );
}
