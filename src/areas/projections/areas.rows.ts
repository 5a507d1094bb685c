import type { RecordedEvent } from '@iap/event-store';
import type { AreaEvent, AreaRegistered, PartnerRegistered } from '../domain/area.js';

/**
 * The areas read-model rows as events leave them: pure functions folded by the projection (a batch at a time,
 * into the tables) and by the areas mutations' answers while the read model catches up (`area.written.ts`, a
 * stream at a time).
 */

type Recorded<E> = RecordedEvent & E;

/** A row of `areas`. */
export interface AreaRow extends Record<string, unknown> {
  code: string;
  name: string;
  kind: string;
  region: string;
  registered_at: Date;
  revision: string;
}

/** A row of `area_partners` (never changed once registered). */
export interface PartnerRow {
  area_code: string;
  partner_id: string;
  name: string;
  sector: string;
  registered_at: Date;
}

/**
 * The area's row after one of its events: an area is registered once, and each partner registered moves the
 * area's revision on. Undefined for a partner registered in an area with no row.
 */
export function areaRowAfter(row: AreaRow | undefined, e: Recorded<AreaRegistered>): AreaRow;
export function areaRowAfter(row: AreaRow | undefined, e: Recorded<AreaEvent>): AreaRow | undefined;
export function areaRowAfter(row: AreaRow | undefined, e: Recorded<AreaEvent>): AreaRow | undefined {
  if (e.type === 'AreaRegistered') {
    const { code, name, kind, region } = e.data;
    return { code, name, kind, region, registered_at: e.recordedAt, revision: e.revision.toString() };
  }
  return row && { ...row, revision: e.revision.toString() };
}

/** The partner row a PartnerRegistered event adds. */
export function partnerRow(e: Recorded<PartnerRegistered>): PartnerRow {
  const { areaCode, partnerId, name, sector } = e.data;
  return { area_code: areaCode, partner_id: partnerId, name, sector, registered_at: e.recordedAt };
}
