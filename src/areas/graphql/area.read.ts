import type { Queryable } from '@iap/projections';
import type { AreaType, PartnerType } from './area.types.js';

/** Reading the areas read model: areas and their partners. */

const AREA_COLUMNS = 'code, name, kind, region, registered_at AS "registeredAt", revision::int AS revision';
const PARTNER_COLUMNS =
  'partner_id AS id, area_code AS "areaCode", name, sector, registered_at AS "registeredAt"';

/** Every registered area, pilots first, then by name. */
export function allAreas(db: Queryable): Promise<AreaType[]> {
  return db.query<AreaType[]>(`SELECT ${AREA_COLUMNS} FROM areas ORDER BY kind DESC, name`);
}

export async function areaByCode(db: Queryable, code: string): Promise<AreaType | null> {
  const [row] = await db.query<AreaType[]>(`SELECT ${AREA_COLUMNS} FROM areas WHERE code = $1`, [code]);
  return row ?? null;
}

/** The partners of these areas, each area's by name. */
export function partnersOfAreas(db: Queryable, codes: readonly string[]): Promise<PartnerType[]> {
  return db.query<PartnerType[]>(
    `SELECT ${PARTNER_COLUMNS} FROM area_partners WHERE area_code = ANY($1) ORDER BY name`,
    [codes],
  );
}

export async function partnerById(db: Queryable, id: string): Promise<PartnerType | undefined> {
  const [row] = await db.query<PartnerType[]>(
    `SELECT ${PARTNER_COLUMNS} FROM area_partners WHERE partner_id = $1`,
    [id],
  );
  return row;
}

/** An area's code and name. */
export interface AreaNameRow {
  code: string;
  name: string;
}

/** The pilots, by name. */
export function pilotAreas(db: Queryable): Promise<AreaNameRow[]> {
  return db.query<AreaNameRow[]>(`SELECT code, name FROM areas WHERE kind = 'PILOT' ORDER BY name`);
}

/** The names of these areas (those registered). */
export function areaNames(db: Queryable, codes: readonly string[]): Promise<AreaNameRow[]> {
  return db.query<AreaNameRow[]>('SELECT code, name FROM areas WHERE code = ANY($1::text[])', [codes]);
}
