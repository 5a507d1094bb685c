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

/** Those of these codes that are in the catalogue (retired or not). */
export async function knownThemeCodes(db: Queryable, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.query<{ code: string }[]>('SELECT code FROM themes WHERE code = ANY($1)', [codes]);
  return rows.map((r) => r.code);
}
