import { NotFoundError } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import type { ThemeEvent } from '../domain/theme.js';
import { type ThemeRow, themeRowAfter } from '../projections/themes.projection.js';
import { ThemeType } from './theme.types.js';

/** A theme as the catalogue's events wrote it (the projection's fold): answered while the read model catches up. */
export function themeWritten(stream: readonly RecordedEvent[], code: string): ThemeType {
  let row: ThemeRow | undefined;
  for (const e of stream as unknown as readonly (RecordedEvent & ThemeEvent)[])
    if (e.data.code === code) row = themeRowAfter(row, e);
  if (!row) throw new NotFoundError(`No theme ${code}`);
  return Object.assign(new ThemeType(), row);
}
