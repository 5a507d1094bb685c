import { ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';
import { isRole } from '@iap/auth';
import type { OidcSettings } from '../oidc.js';
import type { SessionUser } from '../session.js';

/** Why a person the identity provider vouched for may not use the service (shown on the refusal page). */
export type ClaimsRefusal = 'no-subject' | 'no-role' | 'no-area';

export type ClaimsOutcome =
  { readonly person: Omit<SessionUser, 'via' | 'idToken'> } | { readonly refused: ClaimsRefusal };

/** A claim's single text value: a string, or a list holding exactly one string (some providers send lists). */
function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? single(value[0]) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * The person an ID token (and the user info, when the token is lean) describes, from the claims the service is
 * configured to read: their role (CENTRAL, PILOT or COUNCIL), their council's ONS code (PILOT and COUNCIL) and
 * their name. Anyone else is refused: the service never guesses a role or an area.
 */
export function personFromClaims(
  claims: Readonly<Record<string, unknown>>,
  settings: Pick<OidcSettings, 'roleClaim' | 'areaClaim' | 'nameClaim'>,
): ClaimsOutcome {
  const subject = single(claims.sub);
  if (!subject) return { refused: 'no-subject' };
  const role = single(claims[settings.roleClaim])?.toUpperCase();
  if (!isRole(role)) return { refused: 'no-role' };
  const name = single(claims[settings.nameClaim]) ?? single(claims.email) ?? subject;
  if (role === 'CENTRAL') return { person: { subject, name, role } };
  const area = single(claims[settings.areaClaim])?.toUpperCase();
  if (!area || !ONS_LOCAL_AUTHORITY_CODE.test(area)) return { refused: 'no-area' };
  return { person: { subject, name, role, area } };
}
