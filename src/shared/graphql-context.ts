import type { Actor, EventMetadata } from '@iap/event-store';

/** Per-request GraphQL context. */
export interface GraphQLContext {
  readonly correlationId: string;
  readonly actor?: Actor;
}

/** Metadata for the events a request's command causes: who, and which request. */
export function commandMetadata(ctx: GraphQLContext, commandId?: string): Omit<EventMetadata, 'schemaVersion'> {
  return {
    actor: ctx.actor ?? { subject: 'anonymous' },
    correlationId: ctx.correlationId,
    causationId: commandId ?? ctx.correlationId,
  };
}
