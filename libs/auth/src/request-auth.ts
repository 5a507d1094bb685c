import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthActor } from './roles.js';
import type { TokenVerifier } from './tokens.js';
import { InvalidTokenError } from './errors.js';

const AUTH = Symbol.for('iap.auth');

interface RequestAuth {
  readonly actor?: AuthActor;
  readonly error?: InvalidTokenError;
}

type WithAuth = { [AUTH]?: RequestAuth };

/** The verified actor of a request; undefined for an anonymous visitor. */
export function actorOfRequest(request: unknown): AuthActor | undefined {
  return (request as WithAuth | undefined)?.[AUTH]?.actor;
}

/** The token problem of a request, if its Authorization header was refused. */
export function authErrorOfRequest(request: unknown): InvalidTokenError | undefined {
  return (request as WithAuth | undefined)?.[AUTH]?.error;
}

export interface RequestAuthOptions {
  readonly verifier: TokenVerifier;
  /**
   * Test harness only (never read from configuration): what a request WITHOUT a token acts as. Unset, it is an
   * anonymous visitor.
   */
  readonly unauthenticatedActor?: AuthActor;
}

/**
 * Verifies each request's bearer token once, on arrival (`onRequest`), so that the rate limiter can count per
 * subject and GraphQL's context and the policy guard see the actor. A refused token is answered 401
 * UNAUTHENTICATED at `preParsing`: after the rate limiter has counted it, before the body is read.
 */
export function authenticateRequests(fastify: FastifyInstance, options: RequestAuthOptions): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const header = request.headers.authorization;
    let auth: RequestAuth;
    if (header === undefined || header === '') {
      auth = { actor: options.unauthenticatedActor };
    } else {
      try {
        auth = { actor: await options.verifier.verifyHeader(header) };
      } catch (err) {
        auth = {
          error: err instanceof InvalidTokenError ? err : new InvalidTokenError('it could not be verified'),
        };
      }
    }
    (request as WithAuth)[AUTH] = auth;
    if (auth.actor) {
      const log = request.log.child({ subject: auth.actor.subject, role: auth.actor.role });
      request.log = log;
      reply.log = log;
    }
  });
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const error = authErrorOfRequest(request);
    if (!error) return done(null, payload);
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    done(error);
  });
}
