import type { DataSource } from 'typeorm';

/** What other contexts may use from the funding context. */

/** An area's spend reported for a quarter (`2019-20 Q3`), in pence, as currently corrected (from the read model). */
export async function spendForQuarter(db: DataSource, areaCode: string, quarter: string): Promise<number> {
  const [row]: { total: string }[] = await db.query(
    'SELECT COALESCE(SUM(amount_pence), 0)::bigint AS total FROM funding_spend WHERE area_code = $1 AND quarter = $2',
    [areaCode, quarter],
  );
  return Number(row.total);
}
