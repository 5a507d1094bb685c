import type { FieldMiddleware } from '@nestjs/graphql';
import type { AuthActor, Role } from './roles.js';

/**
 * A field only some roles see; to others it is null (so the field must be nullable). For nested fields that a
 * wider audience reaches through an allowed root: e.g. a pilot's notes on its returns, inside the programme-level
 * comparison that councils outside the programme may read.
 */
export function visibleTo(...roles: Role[]): FieldMiddleware {
  return async (ctx, next) => {
    const actor = (ctx.context as { actor?: AuthActor } | undefined)?.actor;
    return actor && roles.includes(actor.role) ? next() : null;
  };
}

/** Visible to the central team and pilots only. */
export const pilotReadersOnly = visibleTo('CENTRAL', 'PILOT');
