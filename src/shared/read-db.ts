import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  type AsOfSnapshot,
  type Queryable,
  ReadModelCache,
  type ReadVersion,
  readVersion,
} from '@iap/projections';
import { MAX_DOWNLOAD_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from '@iap/common';
import { DataSource } from 'typeorm';
import { ReadSource } from './read-source.js';

interface RequestReadScope {
  /** Set by an `asOf` query: the rest of the request reads from this snapshot instead of the live tables. */
  snapshot?: AsOfSnapshot;
  /** A GraphQL query operation (not a mutation): its reads may be answered from the read-model cache. */
  cacheable?: boolean;
  /** Where the request's query reads go (the replica or the primary), chosen by its first cacheable read. */
  reader?: Promise<DataSource>;
  /** The read models' version there, read once by the request's first cacheable read. */
  version?: Promise<ReadVersion>;
  /** Something in the request read the event log itself, which the version does not cover: keep no response. */
  readsLog?: boolean;
  /** The request reads much, once (a download): nothing it reads is kept in the read-model cache. */
  uncached?: boolean;
  /** The request is a download (see markDownload): its lists' pages may hold MAX_DOWNLOAD_PAGE_SIZE rows. */
  download?: boolean;
}

const scope = new AsyncLocalStorage<RequestReadScope>();

/** Runs the rest of an HTTP request (`next`) in a read scope of its own, kept on `holder` for `endReadScope`. */
export function enterReadScope(holder: { readScope?: RequestReadScope }, next: () => void): void {
  const s: RequestReadScope = {};
  holder.readScope = s;
  scope.run(s, next);
}

/** Marks the current request as one that read the event log (its whole response is then never kept). */
export function markReadsLog(): void {
  const s = scope.getStore();
  if (s) s.readsLog = true;
}

/** Whether the request held by `holder` read the event log. */
export function readTheLog(holder: { readScope?: RequestReadScope }): boolean {
  return holder.readScope?.readsLog === true;
}

/** Marks the current request as a query operation: its live reads may come from the read-model cache. */
export function markCacheable(): void {
  const s = scope.getStore();
  if (s && !s.uncached) s.cacheable = true;
}

/**
 * Marks the current request as a download, which reads a list much, once, page after page in process: its reads
 * bypass the read-model cache, which they would only fill with pages nobody asks for again, and its pages may
 * hold up to MAX_DOWNLOAD_PAGE_SIZE rows (see pageSizeOfRequest). Only the server's own export routes call it.
 */
export function markDownload(): void {
  const s = scope.getStore();
  if (s) {
    s.uncached = true;
    s.download = true;
  }
}

/**
 * A list's page size (`first`, else 20): at most MAX_PAGE_SIZE, or MAX_DOWNLOAD_PAGE_SIZE in a download, whose
 * fewer, larger pages run fewer queries and GraphQL executions for the same rows (pageSize's refusal otherwise).
 */
export function pageSizeOfRequest(first: number | undefined | null): number {
  return pageSize(first, 'first', 20, scope.getStore()?.download ? MAX_DOWNLOAD_PAGE_SIZE : MAX_PAGE_SIZE);
}

/**
 * Where the current request's query reads go: the replica or the primary (see ReadSource), chosen once per
 * request, so that its version and its reads come from the same server. Outside a request scope, a fresh choice.
 */
export function readerOfRequest(source: ReadSource): Promise<DataSource> {
  const s = scope.getStore();
  if (!s) return source.reader();
  s.reader ??= source.reader();
  return s.reader;
}

/**
 * The read models' version for the current request, read once where its reads go (the response cache and the
 * request's cached reads share it). Outside a request scope, a fresh read.
 */
export function versionOfRequest(source: ReadSource): Promise<ReadVersion> {
  const s = scope.getStore();
  if (!s) return source.reader().then(readVersion);
  s.version ??= readerOfRequest(source).then(readVersion);
  return s.version;
}

let snapshotsOpen = 0;

/** How many asOf snapshots requests hold open now (for /metrics). */
export function asOfSnapshotsOpen(): number {
  return snapshotsOpen;
}

export function endReadScope(holder: { readScope?: RequestReadScope }, done: (err?: Error) => void): void {
  const s = holder.readScope;
  const snapshot = s?.snapshot;
  if (!snapshot) return done();
  s!.snapshot = undefined;
  snapshotsOpen--;
  snapshot.release().then(() => done(), done);
}

/**
 * What every query resolver reads through: the live read models, or, inside a request that asked for a
 * moment in the past (`asOf`), the snapshot of that moment. One code path answers both. A GraphQL query's
 * live reads go to the read replica (DATABASE_READ_URL, when configured; see ReadSource) and through the read-model
 * cache (when configured): the request reads the read models' version
 * once, and a statement already answered at that version is answered again from memory.
 */
@Injectable()
export class ReadDb implements Queryable {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadSource) private readonly source: ReadSource,
    @Optional() @Inject(ReadModelCache) private readonly cache: ReadModelCache | null = null,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a drop-in for DataSource.query
  async query<T = any>(sql: string, params?: unknown[]): Promise<T> {
    const s = scope.getStore();
    if (s?.snapshot) return s.snapshot.query<T>(sql, params);
    if (s?.cacheable) {
      // A query operation: the replica when there is one (see ReadSource).
      const reader = await readerOfRequest(this.source);
      if (this.cache?.enabled)
        return this.cache.query<T>(reader, await versionOfRequest(this.source), sql, params);
      return reader.query(sql, params as unknown[]) as Promise<T>;
    }
    return this.dataSource.query(sql, params as unknown[]) as Promise<T>;
  }

  /** Switches the current request to `snapshot` (released when the request ends). */
  useSnapshot(snapshot: AsOfSnapshot): void {
    const s = scope.getStore();
    if (!s) throw new Error('asOf needs a request scope');
    if (s.snapshot) throw new Error('only one asOf snapshot per request');
    s.snapshot = snapshot;
    snapshotsOpen++;
  }

  get inSnapshot(): boolean {
    return scope.getStore()?.snapshot !== undefined;
  }
}
