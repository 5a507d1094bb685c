import DataLoader from 'dataloader';
import type { Actor, EventMetadata } from '@iap/event-store';

/** Per-request GraphQL context. */
export interface GraphQLContext {
  /** The request's correlation id (its log lines' `correlationId`; see create-app.ts). */
  readonly correlationId: string;
  /** Who is asking, from their verified bearer token (subject, name, role, area); undefined: anonymous. */
  readonly actor?: Actor;
  /** DataLoaders of this request, by name (see `loaderFor`). */
  readonly loaders: Map<string, DataLoader<unknown, unknown>>;
  /**
   * Projections a mutation of this request answered without (see ReadYourWrites): reported in the response's
   * `extensions.readModels`.
   */
  readonly readModelsBehind?: Set<string>;
  /**
   * Check only: each root operation runs its policy and its input validation and is then refused (BAD_REQUEST,
   * `CheckedOnlyError`) without running. A page's form uses it to say the API's problems with the page's own.
   */
  readonly validateOnly?: boolean;
}

/** Metadata for the events a request's command causes: who, and which request. */
export function commandMetadata(
  ctx: GraphQLContext,
  commandId?: string,
): Omit<EventMetadata, 'schemaVersion'> {
  const actor = ctx.actor;
  return {
    actor: actor
      ? {
          subject: actor.subject,
          ...(actor.name ? { name: actor.name } : {}),
          ...(actor.role ? { role: actor.role } : {}),
          ...(actor.area ? { area: actor.area } : {}),
        }
      : { subject: 'anonymous' },
    correlationId: ctx.correlationId,
    causationId: commandId ?? ctx.correlationId,
  };
}

/**
 * One DataLoader per request and name: nested fields batch their lookups into one query per level instead
 * of one per row.
 */
export function loaderFor<K, V>(
  ctx: GraphQLContext,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V> {
  let loader = ctx.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    ctx.loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Groups rows by key, in the order of `keys` (for DataLoader batch functions returning lists). */
export function groupBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
