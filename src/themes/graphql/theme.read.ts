import type { Queryable } from '@iap/projections';
import type { ThemeType } from './theme.types.js';

const COLUMNS = 'code, name, kind, description, retired, version';

/** The theme catalogue: strategy themes, then integration factors, each by name. */
export function listThemes(db: Queryable, includeRetired: boolean): Promise<ThemeType[]> {
  return db.query<ThemeType[]>(
    `SELECT ${COLUMNS} FROM themes WHERE $1 OR NOT retired ORDER BY kind DESC, name`,
    [includeRetired],
  );
}

/** One theme of the catalogue, or undefined. */
export async function themeByCode(db: Queryable, code: string): Promise<ThemeType | undefined> {
  const [row] = await db.query<ThemeType[]>(`SELECT ${COLUMNS} FROM themes WHERE code = $1`, [code]);
  return row;
}
