import type { MigrationInterface, QueryRunner } from 'typeorm';

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

export const ACTIVITY_MIGRATIONS = [
  CreateActivity1732500006000,
  CreateActivityStreams1732500006100,
  ActivityNamesAndCounts1732500012600,
];
