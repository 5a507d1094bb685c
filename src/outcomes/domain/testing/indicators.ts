import type { IndicatorData } from '../indicator.js';

/**
 * Indicators as the tests define them (the decider's data, and `defineIndicator`'s input over GraphQL): a count
 * with an integration factor, and a percentage from a survey.
 */
export const ESOL_ENROLMENTS: IndicatorData = {
  code: 'ESOL_ENROLMENTS',
  name: 'ESOL learners enrolled',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  theme: 'ENGLISH_LANGUAGE',
  domain: 'LANGUAGE_AND_COMMUNICATION',
  integrationFactor: 'SOCIAL_MOBILITY',
  definition: 'Adults enrolled on an ESOL course in the period',
  source: 'Programme records',
};

export const GET_ON_WELL: IndicatorData = {
  code: 'GET_ON_WELL',
  name: 'People from different backgrounds get on well together',
  unit: 'PERCENTAGE',
  direction: 'HIGHER_IS_BETTER',
  theme: 'PLACES_AND_COMMUNITY',
  domain: 'SOCIAL_BRIDGES',
  definition:
    'Residents who agree their local area is a place where people from different backgrounds get on well',
  source: 'Residents survey',
};
