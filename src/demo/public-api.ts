/** What other parts of the product may use of the demo programme. */
export { DEMO_PEOPLE, type DemoPerson } from './demo-people.js';
export { loadDemoIfEmpty } from './load-demo.js';
