import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  type VersionedTableSpec,
} from '@iap/projections';
import type { ThemeEvent } from '../domain/theme.js';

/** `themes` keeps every version of its rows, for the catalogue as it stood. */
export const THEMES_TABLE: VersionedTableSpec = {
  table: 'themes',
  key: ['code'],
  columns: [
    ['code', 'text'],
    ['name', 'text'],
    ['kind', 'text'],
    ['description', 'text'],
    ['retired', 'boolean'],
    ['version', 'int'],
  ],
};

/** A row of `themes`. */
export interface ThemeRow extends Record<string, unknown> {
  code: string;
  name: string;
  kind: string;
  description: string;
  retired: boolean;
  version: number;
}

/**
 * The theme row after an event: the one fold of the projection and of the theme mutations' answers while the
 * read model catches up (undefined for an event that changes a theme the row before does not hold).
 */
export function themeRowAfter(row: ThemeRow | undefined, e: ThemeEvent): ThemeRow | undefined {
  if (e.type === 'ThemeDefined') {
    const { code, name, kind, description } = e.data;
    return { code, name, kind, description, retired: false, version: 1 };
  }
  if (!row) return undefined;
  const change =
    e.type === 'ThemeRevised' ? { name: e.data.name, description: e.data.description } : { retired: true };
  return { ...row, ...change, version: row.version + 1 };
}

@ReadModelProjection()
@Injectable()
export class ThemesProjection implements Projection {
  readonly name = 'themes';
  readonly tables = ['themes', 'themes_history'];
  readonly eventTypes = ['ThemeDefined', 'ThemeRevised', 'ThemeRetired'];

  asOf(sql: AsOfSql): Record<string, string> {
    return { themes: sql.current(THEMES_TABLE) };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & ThemeEvent)[];
    const rows = ctx.rows<ThemeRow>(THEMES_TABLE);
    await rows.load(
      ctx,
      typed.filter((e) => e.type !== 'ThemeDefined').map((e) => ({ code: e.data.code })),
    );
    for (const e of typed) {
      const row = themeRowAfter(rows.get({ code: e.data.code }), e);
      if (!row) throw new Error(`${e.type} for theme ${e.data.code}, which the read model does not hold`);
      rows.put(row, e.recordedAt, e.type === 'ThemeDefined');
    }
    await rows.flush(ctx);
  }
}
