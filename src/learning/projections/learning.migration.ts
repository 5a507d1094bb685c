import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the 'learning' projection. */
export class CreateLearning1732500007000 implements MigrationInterface {
  name = 'CreateLearning1732500007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE learning_items (
      id uuid PRIMARY KEY,
      area_code text NOT NULL,
      type text NOT NULL,
      title text NOT NULL,
      summary text NOT NULL,
      body text NOT NULL,
      themes text[] NOT NULL,
      action_ids text[] NOT NULL,
      indicator_codes text[] NOT NULL,
      evidence jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETRACTED')),
      published_on date,
      published_at timestamptz,
      retracted_reason text,
      adoption_count int NOT NULL DEFAULT 0 CHECK (adoption_count >= 0),
      revision bigint NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      -- Full-text search, English stemming: the title weighs most, then the summary, then the body.
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', body), 'C')
      ) STORED
    )`);
    await q.query('CREATE INDEX learning_items_search ON learning_items USING gin (search)');
    await q.query('CREATE INDEX learning_items_themes ON learning_items USING gin (themes)');
    // The library lists published items newest first: (published_at, id) is its keyset.
    await q.query(
      'CREATE INDEX learning_items_published ON learning_items (status, published_at DESC, id DESC)',
    );
    await q.query('CREATE INDEX learning_items_area ON learning_items (area_code, status)');

    await q.query(`CREATE TABLE learning_adoptions (
      item_id uuid NOT NULL,
      adopting_area_code text NOT NULL,
      note text NOT NULL,
      adopted_on date NOT NULL,
      adopted_at timestamptz NOT NULL,
      PRIMARY KEY (item_id, adopting_area_code)
    )`);
    await q.query('CREATE INDEX learning_adoptions_adopter ON learning_adoptions (adopting_area_code)');

    await q.query(`CREATE TABLE learning_adoption_counts_by_pilot (
      area_code text PRIMARY KEY,
      adoptions int NOT NULL DEFAULT 0 CHECK (adoptions >= 0)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE learning_adoption_counts_by_pilot');
    await q.query('DROP TABLE learning_adoptions');
    await q.query('DROP TABLE learning_items');
  }
}

/**
 * Adds the history tables of learning items and empties its read models, to be projected anew. Frozen: the SQL
 * that `historyMigration` built from the table specs when it was released (a later edit of a spec changes no
 * old migration).
 */
export class LearningHistory1732500010700 implements MigrationInterface {
  name = 'LearningHistory1732500010700';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "learning_items_history" (
    "id" uuid,
    "area_code" text,
    "type" text,
    "title" text,
    "summary" text,
    "body" text,
    "themes" text[],
    "action_ids" text[],
    "indicator_codes" text[],
    "evidence" jsonb,
    "status" text,
    "published_on" date,
    "published_at" timestamptz,
    "retracted_reason" text,
    "revision" bigint,
    "created_at" timestamptz,
    "updated_at" timestamptz,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
    await q.query('CREATE INDEX "learning_items_history_key" ON "learning_items_history" ("id", valid_to)');
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(`CREATE INDEX "learning_items_history_scope" ON "learning_items_history"
         USING gist ("area_code", tstzrange(valid_from, valid_to))`);
    await q.query('TRUNCATE "learning_items", "learning_adoptions", "learning_adoption_counts_by_pilot"');
    await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [['learning']]);
    await q.query('ALTER TABLE learning_adoptions ADD COLUMN revision bigint NOT NULL');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "learning_items_history"');
  }
}

/**
 * Moves the current versions of learning items (the search vector, now written with the row, is no longer generated: the values stay) from the histories to the live tables (`valid_from`,
 * `version_<column>`). Frozen: the SQL that `currentVersionsMigration` built from the table specs when it was
 * released.
 */
export class LearningCurrentVersions1732500011700 implements MigrationInterface {
  name = 'LearningCurrentVersions1732500011700';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE learning_items ALTER COLUMN search DROP EXPRESSION');
    await q.query(
      'ALTER TABLE "learning_items" ADD COLUMN IF NOT EXISTS valid_from timestamptz, ADD COLUMN IF NOT EXISTS "version_revision" bigint',
    );
    await q.query(
      'UPDATE "learning_items" AS t SET valid_from = h.valid_from, "version_revision" = h."revision" FROM "learning_items_history" AS h WHERE t."id" = h."id" AND h.valid_to = \'infinity\'',
    );
    await q.query('DELETE FROM "learning_items_history" WHERE valid_to = \'infinity\'');
    await q.query('DROP INDEX IF EXISTS "learning_items_history_current"');
  }
  async down(): Promise<void> {
    throw new Error('LearningCurrentVersions1732500011700 cannot be undone');
  }
}

/**
 * A year's adoptions of an area's items (comparePilots, programmeSummary) are counted from each item's index
 * entries within the year's dates alone (adoptions never change, so the heap is seldom read), not from every
 * adoption of the item.
 */
export class LearningAdoptionsByDate1732500012700 implements MigrationInterface {
  name = 'LearningAdoptionsByDate1732500012700';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX learning_adoptions_item_on ON learning_adoptions (item_id, adopted_on)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX learning_adoptions_item_on');
  }
}

/**
 * Per area and financial year, its items published in the year and the adoptions of its items made in it, kept
 * by the projection (comparePilots and programmeSummary read a row per area instead of counting every adoption
 * of its items at each request); filled here from the items and adoptions the read models hold.
 */
export class LearningYearCounts1732500015000 implements MigrationInterface {
  name = 'LearningYearCounts1732500015000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE learning_year_counts (
      area_code text NOT NULL,
      year text NOT NULL,
      published int NOT NULL DEFAULT 0,
      adoptions int NOT NULL DEFAULT 0,
      PRIMARY KEY (area_code, year)
    )`);
    const fy = (d: string) =>
      `(to_char(${d} - interval '3 months', 'YYYY') || '-' || to_char(${d} + interval '9 months', 'YY'))`;
    await q.query(`INSERT INTO learning_year_counts (area_code, year, published, adoptions)
      SELECT area_code, year, sum(published), sum(adoptions)
        FROM (SELECT area_code, ${fy('published_on')} AS year, 1 AS published, 0 AS adoptions
                FROM learning_items WHERE status = 'PUBLISHED'
              UNION ALL
              SELECT i.area_code, ${fy('x.adopted_on')}, 0, 1
                FROM learning_adoptions AS x JOIN learning_items AS i ON i.id = x.item_id) AS c
       GROUP BY area_code, year`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE learning_year_counts');
  }
}

/** The learning context's migrations, in order. */
export const LEARNING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateLearning1732500007000,
  LearningHistory1732500010700,
  LearningCurrentVersions1732500011700,
  LearningAdoptionsByDate1732500012700,
  LearningYearCounts1732500015000,
];
