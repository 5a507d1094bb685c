import { Matches } from 'class-validator';
import { ONS_LOCAL_AUTHORITY_CODE, ONS_LOCAL_AUTHORITY_CODE_MESSAGE } from '../identifiers.js';

/** class-validator's check of an input field holding an ONS local-authority code (`areaCode must be …`). */
export function IsAreaCode(): PropertyDecorator {
  return Matches(ONS_LOCAL_AUTHORITY_CODE, { message: `$property ${ONS_LOCAL_AUTHORITY_CODE_MESSAGE}` });
}
