/** What bench:web measures: each page, the person who opens it, and the GraphQL request(s) the page runs. */
import { DEMO_PEOPLE, type DemoPerson } from '../../src/demo/public-api.js';
import { DASHBOARD } from '../../apps/web/src/area/area.routes.js';
import { areaArgs } from '../../apps/web/src/area/area-page.js';
import { COMPARE, FRAME, YEARS } from '../../apps/web/src/central/programme.routes.js';
import { DEFAULT_INDICATORS } from '../../apps/web/src/central/programme.view.js';

export interface WebTarget {
  readonly name: string;
  readonly path: string;
  readonly person: DemoPerson;
  /** The operations the page runs to draw itself (the same documents and variables). */
  readonly graphql: readonly { query: string; variables?: Record<string, unknown> }[];
}

const person = (subject: string): DemoPerson => {
  const found = DEMO_PEOPLE.find((p) => p.subject === subject);
  if (!found) throw new Error(`no demo person ${subject}`);
  return found;
};

const BLACKBURN = 'E06000008';

export const WEB_TARGETS: readonly WebTarget[] = [
  {
    name: 'The programme overview',
    path: '/programme?year=2019-20',
    person: person('demo-central'),
    graphql: [
      { query: FRAME },
      { query: YEARS },
      { query: COMPARE, variables: { year: '2019-20', asOf: null, indicators: [...DEFAULT_INDICATORS] } },
    ],
  },
  {
    name: "Blackburn with Darwen's dashboard",
    path: `/areas/${BLACKBURN}`,
    person: person(`demo-pilot-${BLACKBURN}`),
    graphql: [
      {
        query: DASHBOARD,
        variables: {
          code: BLACKBURN,
          filter: { status: null, theme: null },
          after: null,
          may: areaArgs(BLACKBURN),
        },
      },
    ],
  },
];
