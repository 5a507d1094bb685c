import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { AsOfSnapshot, Queryable } from '@iap/projections';
import { DataSource } from 'typeorm';

interface RequestReadScope {
  /** Set by an `asOf` query: the rest of the request reads from this snapshot instead of the live tables. */
  snapshot?: AsOfSnapshot;
}

const scope = new AsyncLocalStorage<RequestReadScope>();

/** Runs the rest of an HTTP request (`next`) in a read scope of its own, kept on `holder` for `endReadScope`. */
export function enterReadScope(holder: { readScope?: RequestReadScope }, next: () => void): void {
  const s: RequestReadScope = {};
  holder.readScope = s;
  scope.run(s, next);
}

export async function endReadScope(holder: { readScope?: RequestReadScope }): Promise<void> {
  const s = holder.readScope;
  const snapshot = s?.snapshot;
  if (snapshot) {
    s!.snapshot = undefined;
    await snapshot.release();
  }
}

/**
 * What every query resolver reads through: the live read models, or, inside a request that asked for a
 * moment in the past (`asOf`), the snapshot of that moment. One code path answers both.
 */
@Injectable()
export class ReadDb implements Queryable {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a drop-in for DataSource.query
  query<T = any>(sql: string, params?: unknown[]): Promise<T> {
    const snapshot = scope.getStore()?.snapshot;
    return snapshot
      ? snapshot.query<T>(sql, params)
      : (this.dataSource.query(sql, params as unknown[]) as Promise<T>);
  }

  /** Switches the current request to `snapshot` (released when the request ends). */
  useSnapshot(snapshot: AsOfSnapshot): void {
    const s = scope.getStore();
    if (!s) throw new Error('asOf needs a request scope');
    if (s.snapshot) throw new Error('only one asOf snapshot per request');
    s.snapshot = snapshot;
  }

  get inSnapshot(): boolean {
    return scope.getStore()?.snapshot !== undefined;
  }
}
