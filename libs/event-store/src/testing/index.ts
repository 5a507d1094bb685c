/** Test support for event-sourced code: the decider specification and the event store contract suite. */
export { deciderSpecification, type ErrorExpectation } from './decider-specification.js';
