/**
 * What other contexts' domain code may use from the outcomes context: plain TypeScript, as their domain is.
 * Every other layer uses ../public-api.ts, which re-exports this.
 */
export { INDICATOR_CODE, type Unit, checkValue } from './indicator.js';
export { type ReturnsState, checkDateOpen, checkPeriodOpen } from './periodic-return.js';
