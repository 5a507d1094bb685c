import { expect } from '@jest/globals';
import type { Type } from '@nestjs/common';
import { EventStore } from '@iap/event-store';
import { type Projection, rebuildProjection } from '@iap/projections';
import { DataSource } from 'typeorm';
import type { TestApp } from './test-app.js';

/**
 * Rebuilds `projections` from the event log into fresh tables (as `projections:rebuild` does) and expects
 * `read` to answer exactly what it answered before. Answers that first answer, for checks of its own.
 */
export async function expectRebuildUnchanged<T>(
  t: TestApp,
  projections: readonly Type<Projection>[],
  read: (db: DataSource) => Promise<T>,
): Promise<T> {
  const db = t.app.get(DataSource);
  const before = await read(db);
  for (const projection of projections)
    await rebuildProjection(t.app.get(EventStore), db, t.app.get(projection));
  expect(await read(db)).toEqual(before);
  return before;
}
