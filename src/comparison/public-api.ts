/** What other contexts may use from the comparison context. */
export { AsOfService } from './as-of.service.js';
