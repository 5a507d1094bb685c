import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
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

interface ThemeRow extends Record<string, unknown> {
  code: string;
  name: string;
  kind: string;
  description: string;
  retired: boolean;
  version: number;
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
    const rows = new VersionedRows<ThemeRow>(THEMES_TABLE);
    await rows.load(
      ctx,
      typed.filter((e) => e.type !== 'ThemeDefined').map((e) => ({ code: e.data.code })),
    );
    for (const e of typed) {
      if (e.type === 'ThemeDefined') {
        const { code, name, kind, description } = e.data;
        rows.put({ code, name, kind, description, retired: false, version: 1 }, e.recordedAt, true);
        continue;
      }
      const row = rows.get({ code: e.data.code });
      if (!row) throw new Error(`${e.type} for theme ${e.data.code}, which the read model does not hold`);
      if (e.type === 'ThemeRevised')
        rows.put(
          { ...row, name: e.data.name, description: e.data.description, version: row.version + 1 },
          e.recordedAt,
        );
      else rows.put({ ...row, retired: true, version: row.version + 1 }, e.recordedAt);
    }
    await rows.flush(ctx);
  }
}
