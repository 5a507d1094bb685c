import { Policies, Policy } from '@iap/auth';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { Args, Context, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { pageSize, requireAreaCode, toConnection } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  ALL_EVENTS,
  type ColumnTypes,
  type Projection,
  type ProjectionContext,
  ProjectionRunner,
  ReadModelProjection,
  recordSet,
} from '@iap/projections';
import { GraphQLPublisher } from '../../shared/graphql-publisher.js';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { ActivityConnection, ActivityType } from '../graphql/activity.types.js';
import { cursorOf } from '../graphql/activity.cursor.js';
import { type NameBook, areaOf, labelOf, loadNames, summarise } from './activity.summary.js';

/**
 * The programme-wide activity feed: who did what, when, to which area, read from every event's metadata.
 * It knows no context's internals: the summary comes from the event's type and its common fields.
 */
export class CreateActivity1732500006000 implements MigrationInterface {
  name = 'CreateActivity1732500006000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE activity (
      commit_position numeric(20, 0) NOT NULL,
      prepare_position numeric(20, 0) NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      stream_id text NOT NULL,
      area_code text,
      actor_subject text,
      actor_name text,
      actor_role text,
      correlation_id text,
      summary text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (commit_position, prepare_position, event_id)
    )`);
    await q.query(
      'CREATE INDEX activity_area ON activity (area_code, commit_position DESC, prepare_position DESC)',
    );
    await q.query('CREATE INDEX activity_actor ON activity (actor_subject, recorded_at)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE activity');
  }
}

/**
 * What each stream is about (its area and label), learnt from its first events that say so: later events of
 * the stream (an action started, an item published) often name neither, yet belong in the area's feed.
 */
export class CreateActivityStreams1732500006100 implements MigrationInterface {
  name = 'CreateActivityStreams1732500006100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE activity_streams (
      stream_id text PRIMARY KEY,
      area_code text,
      label text
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE activity_streams');
  }
}

/**
 * The names the feed's summaries give (an action's title and area, an area's name), learnt from the log by the
 * activity projection itself, in log order: it reads no other context's tables, so a rebuild, in any order, gives
 * the same summaries. And how many entries the feed has, in all and per area (its `totalCount`, without counting
 * rows). The feed is projected again from the first event, to name what it showed by id and count it.
 */
export class ActivityNamesAndCounts1732500012600 implements MigrationInterface {
  name = 'ActivityNamesAndCounts1732500012600';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE activity_counts (
      area_code text PRIMARY KEY,
      entries bigint NOT NULL CHECK (entries >= 0)
    )`);
    await q.query(`CREATE TABLE activity_names (
      kind text NOT NULL CHECK (kind IN ('action', 'area')),
      id text NOT NULL,
      name text NOT NULL,
      area_code text,
      PRIMARY KEY (kind, id)
    )`);
    await q.query('TRUNCATE activity, activity_streams');
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'activity'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE activity_names');
    await q.query('DROP TABLE activity_counts');
  }
}

interface StreamFacts {
  area: string | null;
  label: string | null;
}

/** The columns of `activity` that the projection writes, and their types. */
const ACTIVITY_ROW: ColumnTypes = [
  ['commit_position', 'numeric(20, 0)'],
  ['prepare_position', 'numeric(20, 0)'],
  ['event_id', 'uuid'],
  ['event_type', 'text'],
  ['stream_id', 'text'],
  ['area_code', 'text'],
  ['actor_subject', 'text'],
  ['actor_name', 'text'],
  ['actor_role', 'text'],
  ['correlation_id', 'text'],
  ['summary', 'text'],
  ['recorded_at', 'timestamptz'],
];

/** The row of `activity_counts` that counts the whole feed (no area code is empty). */
const ALL_AREAS = '';
const AREA_COLUMN = ACTIVITY_ROW.findIndex(([c]) => c === 'area_code');

@ReadModelProjection()
@Injectable()
export class ActivityProjection implements Projection {
  readonly name = 'activity';
  readonly tables = ['activity', 'activity_streams', 'activity_names', 'activity_counts'];
  readonly eventTypes = [ALL_EVENTS];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    // What the batch's streams are about: known from earlier batches, else learnt as the batch goes.
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    const known: { stream_id: string; area_code: string | null; label: string | null }[] = await ctx.query(
      `SELECT stream_id, area_code, label FROM ${ctx.table('activity_streams')} WHERE stream_id = ANY($1)`,
      [streamIds],
    );
    const facts = new Map<string, StreamFacts>(
      known.map((k) => [k.stream_id, { area: k.area_code, label: k.label }]),
    );
    const names = await loadNames(
      ctx,
      events,
      known.flatMap((k) => (k.area_code ? [k.area_code] : [])),
      ctx.table('activity_names'),
    );
    const changed = new Set<string>();
    const learn = (e: RecordedEvent): StreamFacts => {
      const f = facts.get(e.streamId) ?? { area: null, label: null };
      const area = f.area ?? areaOf(e);
      const label = f.label ?? labelOf(e) ?? null;
      if (area !== f.area || label !== f.label) {
        facts.set(e.streamId, { area, label });
        changed.add(e.streamId);
      }
      return { area, label };
    };

    // One multi-row INSERT per batch: this projection sees every event. Its rows go as one text array per
    // column, filled here (no row objects between: a batch has as many rows as events).
    if (events.length === 0) return;
    const columns = ACTIVITY_ROW.map(() => new Array<string | null>(events.length));
    events.forEach((e, i) => {
      const about = learn(e);
      names.learn(e);
      const actor = e.metadata.actor;
      const values = [
        e.position.commit.toString(),
        e.position.prepare.toString(),
        e.id,
        e.type,
        e.streamId,
        areaOf(e) ?? about.area,
        actor?.subject ?? null,
        actor?.name ?? null,
        actor?.role ?? null,
        e.metadata.correlationId ?? null,
        summarise(e, { streamLabel: about.label ?? undefined, streamArea: about.area, names }),
        e.recordedAt.toISOString(),
      ];
      for (let c = 0; c < values.length; c++) columns[c][i] = values[c];
    });
    const set = recordSet(
      [],
      [],
      1,
      ACTIVITY_ROW.map(([c, type], k) => [c, type, columns[k]] as const),
    );
    await ctx.query(
      `INSERT INTO ${ctx.table('activity')} (${ACTIVITY_ROW.map(([c]) => c).join(', ')}) ${set.select}`,
      set.params,
    );
    await writeNames(names, ctx);
    // The feed's size, in all (ALL_AREAS) and per area.
    const added = new Map<string, number>([[ALL_AREAS, events.length]]);
    for (const area of columns[AREA_COLUMN]) if (area) added.set(area, (added.get(area) ?? 0) + 1);
    await ctx.query(
      `INSERT INTO ${ctx.table('activity_counts')} AS c (area_code, entries)
       SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (area_code) DO UPDATE SET entries = c.entries + EXCLUDED.entries`,
      [[...added.keys()], [...added.values()]],
    );
    if (changed.size > 0) {
      const ids = [...changed];
      await ctx.query(
        `INSERT INTO ${ctx.table('activity_streams')} (stream_id, area_code, label)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (stream_id) DO UPDATE SET area_code = EXCLUDED.area_code, label = EXCLUDED.label`,
        [ids, ids.map((id) => facts.get(id)!.area), ids.map((id) => facts.get(id)!.label)],
      );
    }
  }
}

/** The names a batch taught, upserted (one statement). */
async function writeNames(names: NameBook, ctx: ProjectionContext): Promise<void> {
  const rows = [
    ...[...names.changedActions].map((id) => {
      const a = names.actions.get(id)!;
      return ['action', id, a.title, a.areaCode] as const;
    }),
    ...[...names.changedAreas].map((code) => ['area', code, names.areas.get(code)!, null] as const),
  ];
  if (rows.length === 0) return;
  await ctx.query(
    `INSERT INTO ${ctx.table('activity_names')} (kind, id, name, area_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (kind, id) DO UPDATE SET name = EXCLUDED.name, area_code = EXCLUDED.area_code`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
}

interface ActivityRow extends ActivityType {
  c: string;
  p: string;
}

export const ACTIVITY_COLUMNS = `commit_position::text AS c, prepare_position::text AS p, event_id AS "eventId",
  event_type AS type, stream_id AS "streamId", area_code AS "areaCode", actor_subject AS "actorSubject",
  actor_name AS "actorName", actor_role AS "actorRole", correlation_id AS "correlationId", summary,
  recorded_at AS "recordedAt"`;

@Resolver(() => ActivityType)
export class ActivityResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @Policy(Policies.pilotReaders)
  @Query(() => ActivityConnection, {
    description:
      "The programme-wide activity feed, newest first (with areaCode: one area's). Its totalCount is how many entries the feed (or the area's) has in all",
  })
  async activity(
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('areaCode', { type: () => String, nullable: true }) areaCode?: string,
  ): Promise<ActivityConnection> {
    const limit = pageSize(first);
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (areaCode) {
      params.push(requireAreaCode(areaCode, 'areaCode'));
      where.push(`area_code = $${params.length}`);
    }
    if (after) {
      const [c, p, id] = cursorOf(after);
      params.push(c, p, id);
      where.push(
        `(commit_position, prepare_position, event_id) < ($${params.length - 2}::numeric, $${params.length - 1}::numeric, $${params.length}::uuid)`,
      );
    }
    const [rows, [count]] = await Promise.all([
      this.db.query<ActivityRow[]>(
        `SELECT ${ACTIVITY_COLUMNS}
           FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY commit_position DESC, prepare_position DESC, event_id DESC LIMIT $1`,
        params,
      ),
      // Kept by the projection with the feed (one row read, however long the feed).
      this.db.query<{ entries: string }[]>(
        'SELECT entries::text AS entries FROM activity_counts WHERE area_code = $1',
        [areaCode ?? ALL_AREAS],
      ),
    ]);
    return toConnection(
      rows,
      limit,
      (r) => [r.c, r.p, r.eventId],
      ({ c: _c, p: _p, ...rest }) => rest,
      Number(count?.entries ?? 0),
    );
  }

  @Policy(Policies.pilotReaders)
  @Subscription(() => ActivityType, {
    description: 'Each new activity, once it is in the feed (published after the projection commits)',
    filter: (payload: { activityAdded: ActivityType }, variables: { areaCode?: string | null }) =>
      !variables.areaCode || payload.activityAdded.areaCode === variables.areaCode,
  })
  activityAdded(
    @Context('pubsub') pubsub: { subscribe(topic: string): unknown },
    @Args('areaCode', { type: () => String, nullable: true }) areaCode?: string,
  ): unknown {
    if (areaCode) requireAreaCode(areaCode, 'areaCode');
    return pubsub.subscribe(ACTIVITY_TOPIC);
  }
}

export const ACTIVITY_TOPIC = 'ACTIVITY_ADDED';

/** Tells subscribers of each activity after the activity projection has committed it. */
@Injectable()
export class ActivityPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('ActivityPublisher');

  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.onCommitted((projection, events) => {
      if (projection !== 'activity') return;
      // Publishes the rows as the feed holds them (with the area and label learnt from earlier events).
      this.db
        .query<ActivityRow[]>(
          `SELECT ${ACTIVITY_COLUMNS} FROM activity WHERE event_id = ANY($1)
            ORDER BY commit_position, prepare_position, event_id`,
          [events.map((e) => e.id)],
        )
        .then((rows) => {
          for (const { c: _c, p: _p, ...activity } of rows)
            this.publisher.publish(ACTIVITY_TOPIC, { activityAdded: activity });
        })
        .catch((err: unknown) => this.logger.warn(`Could not publish activity: ${String(err)}`));
    });
  }
}

export const ACTIVITY_MIGRATIONS = [
  CreateActivity1732500006000,
  CreateActivityStreams1732500006100,
  ActivityNamesAndCounts1732500012600,
];
