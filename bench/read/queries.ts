/** The GraphQL requests of phases (b) and (c). */

export const YEAR = '2020-21';
const COMPARE_INDICATORS = ['GET_ON_WELL', 'ESOL_ENROLMENTS', 'HATE_CRIMES', 'VOLUNTEERING_RATE'];
export const COMPARE_QUERY = `{ comparePilots(year: "${YEAR}", indicators: ${JSON.stringify(COMPARE_INDICATORS)}) {
  areaCode areaName year allocatedPence committedPence spentPence overspendApprovedPence spendRate matchCashPence matchInKindPence
  actionsByStatus { status count } actionsByTheme { theme status count }
  indicators { indicatorCode baseline { value date } latest { value periodLabel } nextTarget { value date } progress }
  returns { quarter status } learningPublished learningAdoptions } }`;
const AREA_SELECTION = `code name kind region revision
  partners { id name sector }
  funding(year: "${YEAR}") { year allocatedPence committedPence spentPence matchCashPence matchInKindPence overspendApprovedPence
    byStream { fundingStream allocatedPence } }
  fundingYears { year allocatedPence committedPence spentPence }
  actions(first: 20) { edges { cursor node { id title status themes plannedStart plannedEnd startedOn milestones { title dueDate reachedOn } } } pageInfo { hasNextPage endCursor } }
  actionCounts { status theme count }
  indicators { indicatorCode baseline { value date } targets { date value } latest { value periodLabel periodEnd } previous { value periodLabel } measurementCount progress }
  returns(year: "${YEAR}") { quarter status submissions }`;
export const areaQuery = (code: string) => `{ area(code: "${code}") { ${AREA_SELECTION} } }`;
export const asOfQuery = (code: string, at: string) =>
  `{ area(code: "${code}", asOf: "${at}") { ${AREA_SELECTION} } }`;
