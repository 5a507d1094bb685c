import type { FastifyInstance } from 'fastify';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { historyLink } from './history.view.js';

const AREAS = `query AreasAndFunding {
  areas {
    code name kind region registeredAt
    fundingYears { year allocatedPence committedPence spentPence }
  }
}`;

interface AreaRow {
  code: string;
  name: string;
  kind: string;
  region: string;
  fundingYears: { year: string; allocatedPence: number; committedPence: number; spentPence: number }[];
}

/** The areas taking part in the programme, and each pilot's grant allocations by year. */
export async function areasRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  web.get(
    '/areas',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const { areas } = await page.query<{ areas: AreaRow[] }>(AREAS);
      const pilots = areas.filter((a) => a.kind === 'PILOT');
      const years = [...new Set(pilots.flatMap((a) => a.fundingYears.map((y) => y.year)))].sort();
      const mayAllocate =
        pilots.length > 0 &&
        (
          await page.query<{ viewer: { may: boolean } }>(
            'query MayAllocate($args: JSON) { viewer { may(operation: "allocateGrant", args: $args) } }',
            { args: { input: { areaCode: pilots[0]!.code } } },
          )
        ).viewer.may;
      return page.render('central/areas', {
        mayAllocate,
        years,
        pilots: pilots.map((a) => ({
          ...a,
          historyHref: historyLink(`area-${a.code}`),
          fundingHistoryHref: historyLink(`funding-${a.code}`),
          byYear: years.map((y) => a.fundingYears.find((f) => f.year === y)),
          totalAllocatedPence: a.fundingYears.reduce((n, f) => n + f.allocatedPence, 0),
        })),
        yearTotals: years.map((y) =>
          pilots.reduce((n, a) => n + (a.fundingYears.find((f) => f.year === y)?.allocatedPence ?? 0), 0),
        ),
        councils: areas
          .filter((a) => a.kind !== 'PILOT')
          .map((a) => ({ ...a, historyHref: historyLink(`area-${a.code}`) })),
      });
    }),
  );
}
