import { BadUserInputError } from './errors.js';

/**
 * ONS (GSS) local-authority codes: E06 unitary, E07 non-metropolitan district, E08 metropolitan district,
 * E09 London borough, E10 county, W06 Welsh, S12 Scottish and N09 Northern Irish councils; then six digits.
 * Every area is known by one; the rule is here, once, for the domain, the edge and the access tokens alike.
 */
export const ONS_LOCAL_AUTHORITY_CODE = /^(E0[6-9]|E10|W06|S12|N09)\d{6}$/;

/** Why a value is not an area code, after the name of its field (`areaCode must be an ONS …`). */
export const ONS_LOCAL_AUTHORITY_CODE_MESSAGE = 'must be an ONS local-authority code such as E06000008';

/** The code itself, or BAD_USER_INPUT naming `field` when it is not an ONS local-authority code. */
export function requireAreaCode(code: string, field = 'code'): string {
  if (!ONS_LOCAL_AUTHORITY_CODE.test(code)) {
    throw BadUserInputError.field(field, ONS_LOCAL_AUTHORITY_CODE_MESSAGE);
  }
  return code;
}

/** A UUID in its usual text form (any version, either case): the ids of actions, learning items and events. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
