import type { Actor } from '@iap/event-store';

/**
 * The three kinds of user. CENTRAL: the central integration team (everything). PILOT: officers of one pilot area
 * (read every pilot, write their own area's records). COUNCIL: any other council (read published learning and
 * programme-level comparisons, record adoption for their own council). No token at all: an anonymous visitor.
 */
export const ROLES = ['CENTRAL', 'PILOT', 'COUNCIL'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, from a verified token: written into every event's metadata. */
export interface AuthActor extends Actor {
  readonly subject: string;
  readonly name?: string;
  readonly role: Role;
  /** ONS code of the actor's council: required for PILOT and COUNCIL, optional for CENTRAL. */
  readonly area?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
