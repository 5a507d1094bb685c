import type { FastifyInstance } from 'fastify';
import { OperationFailed } from '../graphql.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { todayInEngland } from '../../../../src/shared/periods.js';
import { describeStream, historyLink } from './history.view.js';
import { asOfQuery, beforeFirstRecord } from './programme.view.js';

const PAGE_SIZE = 25;

const ACTIVITY = `query ActivityFeed($first: Int!, $after: String, $areaCode: String) {
  activity(first: $first, after: $after, areaCode: $areaCode) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { eventId type streamId areaCode actorName actorRole summary recordedAt }
  }
  areas { code name kind }
}`;

/** A record's first change, for a day asked before it (see beforeFirstRecord). */
const FIRST_CHANGE = `query FirstChange($stream: String!) { history(stream: $stream, first: 1) { recordedAt } }`;

const HISTORY = `query RecordHistory($stream: String!, $asOf: DateTime) {
  history(stream: $stream, asOf: $asOf) { eventId type revision recordedAt actorName actorRole summary commandId }
}`;

const AREA_NAMES = `query AreaNames { areas { code name } }`;

interface ActivityEntry {
  eventId: string;
  type: string;
  streamId: string;
  areaCode: string | null;
  actorName: string | null;
  actorRole: string | null;
  summary: string;
  recordedAt: string;
}

/** The programme's activity feed (newest first, a page at a time) and any record's history. */
export async function activityRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  web.get(
    '/activity',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const after = page.search.after || null;
      const areaCode = /^[EWSN]\d{8}$/.test(page.search.area ?? '') ? page.search.area! : null;
      const { activity, areas } = await page.query<{
        activity: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: ActivityEntry[];
        };
        areas: { code: string; name: string; kind: string }[];
      }>(ACTIVITY, { first: PAGE_SIZE, after, areaCode });
      const nameOf = new Map(areas.map((a) => [a.code, a.name]));
      const more = new URLSearchParams();
      if (areaCode) more.set('area', areaCode);
      if (activity.pageInfo.endCursor) more.set('after', activity.pageInfo.endCursor);
      return page.render('central/activity', {
        entries: activity.nodes.map((e) => ({
          ...e,
          areaName: e.areaCode ? (nameOf.get(e.areaCode) ?? e.areaCode) : null,
          href: historyLink(e.streamId),
        })),
        totalCount: activity.totalCount,
        older: activity.pageInfo.hasNextPage ? `/activity?${more.toString()}` : undefined,
        newest: after ? `/activity${areaCode ? `?area=${areaCode}` : ''}` : undefined,
        areaCode,
        areaName: areaCode ? nameOf.get(areaCode) : undefined,
        areaOptions: areas
          .filter((a) => a.kind === 'PILOT')
          .map((a) => ({ value: a.code, text: a.name, selected: a.code === areaCode })),
      });
    }),
  );

  web.get(
    '/history/:stream',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const stream = page.params.stream ?? '';
      const when = asOfQuery(
        page.request.query as Record<string, string | string[] | undefined>,
        todayInEngland(new Date()),
      );
      // An asOf query must be the only field of its request: the areas' names are a request of their own.
      const result = await page.run<{
        history: {
          eventId: string;
          type: string;
          revision: number;
          recordedAt: string;
          actorName: string | null;
          actorRole: string | null;
          summary: string;
          commandId: string | null;
        }[];
      }>(HISTORY, { stream, asOf: when.asOf ?? null });
      // A name that is not a record's is no page (the API says BAD_USER_INPUT); a refusal is the 403 page.
      if (result.errors.length) {
        const bad = result.errors.every((e) => e.code === 'BAD_USER_INPUT' || e.code === 'NOT_FOUND');
        throw new OperationFailed(
          bad ? [{ code: 'NOT_FOUND', message: 'No such record', extensions: {} }] : result.errors,
        );
      }
      const { history } = result.data!;
      // Nothing by the day asked: when the record's first change was, asked without the day (its own request).
      const first =
        when.asOf && history.length === 0
          ? (await page.query<{ history: { recordedAt: string }[] }>(FIRST_CHANGE, { stream })).history[0]
          : undefined;
      const { areas } = await page.query<{ areas: { code: string; name: string }[] }>(AREA_NAMES);
      const record = describeStream(stream);
      const areaName = record.areaCode ? areas.find((a) => a.code === record.areaCode)?.name : undefined;
      return page.render('central/history', {
        stream,
        record,
        areaName,
        entries: [...history].reverse(),
        when,
        beforeFirstRecord: beforeFirstRecord(when.asOfDate, first?.recordedAt, 'Its earliest change is'),
        errors: when.error ? [{ text: when.error.text, href: `#${when.error.field}` }] : [],
      });
    }),
  );
}
