import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ident } from './sql.js';
import { historyTable, versionColumn, type VersionedTableSpec } from './versioned-table.js';

/**
 * Creates `<table>_history` for a versioned table (in a migration). The live table gets its versions' columns
 * from `addVersionColumns`.
 */
export async function createHistoryTable(q: QueryRunner, spec: VersionedTableSpec): Promise<void> {
  const h = ident(historyTable(spec.table));
  const key = spec.key.map(ident).join(', ');
  await q.query(`CREATE TABLE ${h} (
    ${spec.columns.map(([c, t]) => `${ident(c)} ${t}`).join(',\n    ')},
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
  if (spec.historyKeyIndex !== false)
    await q.query(`CREATE INDEX ${ident(`${spec.table}_history_key`)} ON ${h} (${key}, valid_to)`);
  if (spec.scope) {
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(
      `CREATE INDEX ${ident(`${spec.table}_history_scope`)} ON ${h}
         USING gist (${spec.scope.map(ident).join(', ')}, tstzrange(valid_from, valid_to))`,
    );
  }
  for (const [i, columns] of (spec.historyIndexes ?? []).entries())
    await q.query(`CREATE INDEX ${ident(`${spec.table}_history_${i + 1}`)} ON ${h} ${columns}`);
}

/** Adds to a versioned table's live table the columns of its current version: `valid_from`, `version_<column>`. */
export async function addVersionColumns(q: QueryRunner, spec: VersionedTableSpec): Promise<void> {
  const types = new Map(spec.columns);
  await q.query(
    `ALTER TABLE ${ident(spec.table)} ${[
      'ADD COLUMN IF NOT EXISTS valid_from timestamptz',
      ...(spec.overwritten ?? []).map(
        (c) => `ADD COLUMN IF NOT EXISTS ${ident(versionColumn(c))} ${types.get(c)}`,
      ),
    ].join(', ')}`,
  );
}

/**
 * A migration from histories that held every version, the current ones included (`valid_to` 'infinity'), to
 * live tables that hold the current version (with `valid_from`) and histories that hold the closed ones: the
 * current versions move, nothing is projected again.
 */
export function currentVersionsMigration(
  name: string,
  specs: readonly VersionedTableSpec[],
  /** Changes to make first (e.g. a live table that a history had none of). */
  before?: (q: QueryRunner) => Promise<void>,
  /** Changes to make last (e.g. an index of the new columns). */
  after?: (q: QueryRunner) => Promise<void>,
): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await before?.(q);
      for (const spec of specs) {
        await addVersionColumns(q, spec);
        const h = ident(historyTable(spec.table));
        const on = spec.key.map((k) => `t.${ident(k)} = h.${ident(k)}`).join(' AND ');
        const set = [
          'valid_from = h.valid_from',
          ...(spec.overwritten ?? []).map((c) => `${ident(versionColumn(c))} = h.${ident(c)}`),
        ];
        await q.query(
          `UPDATE ${ident(spec.table)} AS t SET ${set.join(', ')} FROM ${h} AS h WHERE ${on} AND h.valid_to = 'infinity'`,
        );
        await q.query(`DELETE FROM ${h} WHERE valid_to = 'infinity'`);
        await q.query(`DROP INDEX IF EXISTS ${ident(`${spec.table}_history_current`)}`);
        if (spec.historyKeyIndex === false)
          await q.query(`DROP INDEX IF EXISTS ${ident(`${spec.table}_history_key`)}`);
      }
      await after?.(q);
    }
    async down(): Promise<void> {
      throw new Error(`${name} cannot be undone`);
    }
  };
}

/** A migration that adds history tables (and empties the projections' read models, to be projected anew). */
export function historyMigration(
  name: string,
  specs: readonly VersionedTableSpec[],
  projections: readonly { name: string; tables: readonly string[] }[],
  /** Further changes to the emptied tables (e.g. a column the history needs). */
  alsoUp?: (q: QueryRunner) => Promise<void>,
): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      for (const s of specs) await createHistoryTable(q, s);
      // Existing rows have no history: the projections start again from the first event.
      const tables = projections.flatMap((p) => p.tables).filter((t) => !t.endsWith('_history'));
      if (tables.length > 0) await q.query(`TRUNCATE ${tables.map(ident).join(', ')}`);
      await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [
        projections.map((p) => p.name),
      ]);
      await alsoUp?.(q);
    }
    async down(q: QueryRunner): Promise<void> {
      for (const s of specs) await q.query(`DROP TABLE ${ident(historyTable(s.table))}`);
    }
  };
}
