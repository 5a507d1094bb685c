import { OperationFailed } from '../graphql.js';
import type { Page } from '../page.js';

export { UUID } from '@iap/common';
const AREA_CODE = /^[EWSN]\d{8}$/;

/** Ends the page with the GOV.UK 404 page. */
export function notFound(what: string): never {
  throw new OperationFailed([{ code: 'NOT_FOUND', message: `${what} was not found`, extensions: {} }]);
}

/** The area code of the address, or the 404 page for one that cannot be an area. */
export function areaCodeOf(page: Page): string {
  const code = page.params.code ?? '';
  if (!AREA_CODE.test(code)) notFound('The area');
  return code;
}

/** `args` for viewer.may of a mutation whose input names the area. */
export const areaArgs = (code: string) => ({ input: { areaCode: code } });

/** The area the address names, once the API's policy lets this person run `operation` in it (else a 403 page). */
export async function areaAllowing(page: Page, operation: string): Promise<string> {
  const code = areaCodeOf(page);
  await page.requireMay(operation, areaArgs(code));
  return code;
}
/** `args` for viewer.may of a mutation whose input names an action. */
export const actionArgs = (id: string) => ({ input: { actionId: id } });
