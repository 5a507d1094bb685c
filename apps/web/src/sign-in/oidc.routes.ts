import type { FastifyInstance } from 'fastify';
import { safeReturnTo } from '../errors.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { sessionOf, signIn } from '../session.js';
import { personFromClaims } from './oidc-claims.js';
import { OidcUnavailable, oidcClientFor } from './oidc-client.js';
import { homeOf } from './sign-in.routes.js';

/**
 * Sign-in through the identity provider (OpenID Connect, authorisation code flow with PKCE): /sign-in/oidc
 * sends the person to the provider with a fresh PKCE challenge, state and nonce (kept in the session cookie);
 * /sign-in/callback checks all three, reads who they are from the configured claims and signs them in. Without
 * OIDC configured these addresses do not exist.
 */
export async function oidcRoutes(web: FastifyInstance, { graphql, settings }: WebRouteDeps): Promise<void> {
  const oidc = settings.oidc;
  if (!oidc) return;
  const client = oidcClientFor(oidc);

  web.get(
    '/sign-in/oidc',
    pageHandler(graphql, async (page) => {
      const returnTo = safeReturnTo(page.search.returnTo);
      try {
        const { url, pending } = await client.start(returnTo);
        sessionOf(page.request).set('oidc', { ...pending });
        return page.redirect(url.href);
      } catch (error) {
        if (!(error instanceof OidcUnavailable)) throw error;
        page.request.log.warn(
          { err: error },
          'Sign-in is not available: the identity provider did not answer',
        );
        return page.render('sign-in/oidc-unavailable', { returnTo }, 503);
      }
    }),
  );

  web.get(
    '/sign-in/callback',
    pageHandler(graphql, async (page) => {
      const session = sessionOf(page.request);
      const pending = session.get('oidc');
      // One answer per sign-in: whatever happens next, this state, nonce and verifier are spent.
      session.set('oidc', undefined);
      if (!pending) return page.render('sign-in/oidc-failed', { reason: 'no-sign-in' }, 400);
      if (page.search.error) {
        page.request.log.info(
          { error: page.search.error },
          'The identity provider did not sign the person in',
        );
        return page.render('sign-in/oidc-failed', { reason: 'provider', returnTo: pending.returnTo }, 400);
      }
      let signedIn;
      try {
        signedIn = await client.finish(page.request.url.split('?')[1] ?? '', pending);
      } catch (error) {
        if (error instanceof OidcUnavailable) {
          page.request.log.warn(
            { err: error },
            'Sign-in is not available: the identity provider did not answer',
          );
          return page.render('sign-in/oidc-unavailable', { returnTo: pending.returnTo }, 503);
        }
        // A wrong state, a code already used, a nonce that does not match, a token that does not check out.
        page.request.log.warn(
          { err: error },
          'Sign-in refused: the answer from the identity provider failed its checks',
        );
        return page.render('sign-in/oidc-failed', { reason: 'checks', returnTo: pending.returnTo }, 400);
      }
      const outcome = personFromClaims(signedIn.claims, oidc);
      if ('refused' in outcome) {
        page.request.log.info(
          { subject: signedIn.claims.sub, refused: outcome.refused },
          'Sign-in refused: no role or area for this service in the claims',
        );
        return page.render('sign-in/oidc-refused', { reason: outcome.refused }, 403);
      }
      const person = outcome.person;
      signIn(page.request, {
        ...person,
        via: 'oidc',
        ...(signedIn.idToken ? { idToken: signedIn.idToken } : {}),
      });
      page.request.log.info({ subject: person.subject, role: person.role, area: person.area }, 'Signed in');
      const returnTo = safeReturnTo(pending.returnTo);
      return page.redirect(returnTo === '/' ? homeOf(person) : returnTo);
    }),
  );
}
